import { builder } from './builder.js';
import '../sites/tenant.js';
import '../partners/partner-organization.js';

export const schema = builder.toSchema({ sortSchema: true });
