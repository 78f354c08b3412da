// Shield rules read only the principal computed once per request, never the parent row:
// per-row tenancy is the query's and row-level security's job.
import { rule } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context.js';
import { forbidden, internalError, unauthenticated } from '../graphql/errors.js';
import { actions, type Action, type ActionName } from './actions.js';
import type { NetworkPrincipal, PartnerPrincipal, Principal, StaffPrincipal } from './principal.js';

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

const permits = <T extends string>(allowed: readonly T[] | 'any' | undefined, held: readonly T[]) =>
  allowed === 'any' || (!!allowed && held.some((h) => allowed.includes(h)));

export const allows = (action: Action, principal: Principal): boolean => {
  switch (principal.kind) {
    case 'STAFF':
      return permits(action.site, principal.roles);
    case 'NETWORK':
      return permits(action.network, principal.roles);
    case 'PARTNER':
      return permits(action.partner, principal.scopes);
  }
};

/** The shield rule of one action of the catalogue. */
export const ruleFor = (name: ActionName) => principalRule(name, (p) => allows(actions[name], p));

type Allowed<A> =
  | (A extends { site: unknown } ? StaffPrincipal : never)
  | (A extends { network: unknown } ? NetworkPrincipal : never)
  | (A extends { partner: unknown } ? PartnerPrincipal : never);
export type PrincipalFor<N extends ActionName> = Allowed<(typeof actions)[N]>;

/** The caller, narrowed to the kinds the action allows; the field's rule has already let it in. */
export function principalFor<N extends ActionName>(ctx: { principal: Principal | null }, name: N): PrincipalFor<N> {
  const principal = ctx.principal;
  if (!principal) throw unauthenticated();
  if (!allows(actions[name], principal)) throw forbidden();
  return principal as PrincipalFor<N>;
}
