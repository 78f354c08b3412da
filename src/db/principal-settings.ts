// How a principal reaches the row-level security policies: the request's transaction switches to
// the restricted role and sets transaction-local settings that the policies read.
import { partnerScopeClaims, type Principal } from '../auth/principal.js';
import { codesOf } from './failures.js';

export const requestRole = 'rx_app';
/** Partners' role: rx_app's privileges, plus the policies only a partner can satisfy (migration 20261130040000_partner_role). */
export const partnerRequestRole = 'rx_partner';
export const requestRoles = [requestRole, partnerRequestRole] as const;

/**
 * One statement: role and settings, all local to the transaction (set_config(..., true)). With a
 * time limit, no statement of the transaction may run past it, nor the transaction idle past it.
 * For site staff the same statement then signs them in (`app_staff_sign_in`, migration
 * 20261130031200_staff_provisioning): it fails with SQLSTATE RX401 (`isStaffRefusal`) when their staff
 * record is deactivated, or missing at a site that requires provisioning, and otherwise makes a
 * missing one from the token. Nothing is cached between requests: a deactivation holds from the
 * next request on.
 */
export function principalSettingsSql(principal: Principal | null, timeLimitMs = 0): [string, ...(string | null)[]] {
  const values = {
    kind: principal?.kind ?? '',
    tenant: principal?.kind === 'STAFF' ? principal.tenantId : '',
    partner: principal?.kind === 'PARTNER' ? principal.partnerId : '',
    roles: principal && principal.kind !== 'PARTNER' ? principal.roles.join(',') : '',
    scopes: principal?.kind === 'PARTNER' ? principal.scopes.map((scope) => partnerScopeClaims[scope]).join(',') : '',
    subject: principal?.subject ?? '',
  };
  return [
    `SELECT set_config('role', '${principal?.kind === 'PARTNER' ? partnerRequestRole : requestRole}', true),
            set_config('app.principal_kind', $1, true),
            set_config('app.tenant_id', $2, true),
            set_config('app.partner_id', $3, true),
            set_config('app.roles', $4, true),
            set_config('app.scopes', $5, true),
            set_config('app.subject', $6, true),
            set_config('statement_timeout', $7, true),
            set_config('idle_in_transaction_session_timeout', $7, true)${principal?.kind === 'STAFF' ? ', app_staff_sign_in($8, $9)' : ''}`,
    values.kind,
    values.tenant,
    values.partner,
    values.roles,
    values.scopes,
    values.subject,
    String(Math.max(0, Math.floor(timeLimitMs))),
    ...(principal?.kind === 'STAFF' ? [principal.name ?? null, principal.email ?? null] : []),
  ];
}

/**
 * Whether opening a request's transaction failed because the staff sign-in refused the caller (no
 * active staff record): answer UNAUTHENTICATED (401), as for a bad token.
 */
export const isStaffRefusal = (error: unknown) => codesOf(error).includes('RX401');
