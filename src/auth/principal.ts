// Who is calling, as computed once per request from a verified token.
import type { PartnerScope, StaffRole } from '../generated/prisma/enums.js';
import { healthInformationReaders } from './actions.js';

export const siteRoles = [
  'PRESCRIBER',
  'LINK_WORKER',
  'PROGRAM_COORDINATOR',
  'DATA_COORDINATOR',
  'PRIVACY_OFFICER',
  'SITE_ADMIN',
  'HEALTH_CHAMPION',
] as const satisfies readonly StaffRole[];
export const networkRoles = ['ALLIANCE_ANALYST', 'ALLIANCE_ADMIN'] as const;
export type NetworkRole = (typeof networkRoles)[number];

/** Token scope strings and the partnership scopes they stand for. */
export const partnerScopeClaims = {
  'referrals:create': 'REFERRALS_CREATE',
  'referrals:read': 'REFERRALS_READ',
  'programs:read': 'PROGRAMS_READ',
  'webhooks:manage': 'WEBHOOKS_MANAGE',
} as const satisfies Record<string, PartnerScope>;
export type PartnerScopeClaim = keyof typeof partnerScopeClaims;

/** `name` and `email` are the token's profile claims, for a staff record made just in time (db/principal-settings.ts). */
export type StaffPrincipal = { kind: 'STAFF'; subject: string; tenantId: string; roles: StaffRole[]; name?: string; email?: string };
export type NetworkPrincipal = { kind: 'NETWORK'; subject: string; roles: NetworkRole[] };
export type PartnerPrincipal = { kind: 'PARTNER'; subject: string; partnerId: string; scopes: PartnerScopeClaim[] };
export type Principal = StaffPrincipal | NetworkPrincipal | PartnerPrincipal;

export const canReadPhi = (principal: Principal | null): principal is StaffPrincipal =>
  principal?.kind === 'STAFF' && principal.roles.some((role) => (healthInformationReaders as readonly StaffRole[]).includes(role));
