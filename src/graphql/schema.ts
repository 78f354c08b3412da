import { builder } from './builder.js';
import '../sites/tenant.js';
import '../partners/partner-organization.js';
import '../auth/viewer.js';
import '../staff/staff-member.js';
import '../programs/program.js';
import '../clients/client.js';
import '../prescriptions/social-prescription.js';
import '../prescriptions/partner-referral.js';

export const schema = builder.toSchema({ sortSchema: true });
