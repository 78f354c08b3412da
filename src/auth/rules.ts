// Shield rules read only the principal computed once per request, never the parent row:
// per-row tenancy is the query's and row-level security's job.
import { rule } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context.js';
import { forbidden, internalError, unauthenticated } from '../graphql/errors.js';
import { canReadPhi, hasRole, hasScope, type PartnerScopeClaim, type Principal } from './principal.js';

// graphql-shield caches by rule name, so one name must mean one rule instance.
const rulesByName = new Map<string, ReturnType<ReturnType<typeof rule>>>();
const principalRule = (name: string, allowed: (principal: Principal) => boolean) => {
  const existing = rulesByName.get(name);
  if (existing) return existing;
  const created = makeRule(name, allowed);
  rulesByName.set(name, created);
  return created;
};

const makeRule = (name: string, allowed: (principal: Principal) => boolean) =>
  rule(name, { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) => {
    if (!ctx.principal) return unauthenticated();
    try {
      return allowed(ctx.principal) ? true : forbidden();
    } catch (error) {
      // graphql-shield would turn a throw into a silent "false"; keep the real error in the log.
      ctx.log.error({ err: error, rule: name }, 'authorization rule failed');
      return internalError();
    }
  });

export const isAuthenticated = principalRule('isAuthenticated', () => true);
export const isSiteStaff = principalRule('isSiteStaff', (p) => p.kind === 'STAFF');
export const isNotPartner = principalRule('isNotPartner', (p) => p.kind !== 'PARTNER');
export const readsClientPhi = principalRule('readsClientPhi', (p) => canReadPhi(p));
export const hasSiteRole = (...roles: string[]) =>
  principalRule(`hasSiteRole:${roles.join(',')}`, (p) => p.kind === 'STAFF' && hasRole(p, ...roles));
export const hasNetworkRole = (...roles: string[]) =>
  principalRule(`hasNetworkRole:${roles.join(',')}`, (p) => p.kind === 'NETWORK' && hasRole(p, ...roles));
export const hasPartnerScope = (scope: PartnerScopeClaim) => principalRule(`hasPartnerScope:${scope}`, (p) => hasScope(p, scope));
