// What one aggregate answer covers (whole calendar months and a set of sites), who may ask for
// which sites, and the disclosure control every answer is published under.
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import type { GraphQLContext } from '../graphql/context.js';
import { badUserInput, forbidden } from '../graphql/errors.js';
import { perturbationOf, type Perturbation } from './perturbation.js';

const MAX_DAYS = 20 * 366;
const filterRules = z
  .object({ from: z.date(), to: z.date(), sites: z.array(z.string()).max(500).nullish() })
  // Days or weeks cut out of a month would let answers be subtracted down to single referrals.
  .refine((f) => f.from.getUTCDate() === 1, { path: ['from'], message: 'must be the first day of a month: aggregates cover whole calendar months' })
  .refine((f) => new Date(f.to.getTime() + 86_400_000).getUTCDate() === 1, {
    path: ['to'],
    message: 'must be the last day of a month: aggregates cover whole calendar months',
  })
  .refine((f) => f.to >= f.from, { path: ['to'], message: 'must not be before from' })
  .refine((f) => f.to.getTime() - f.from.getTime() <= MAX_DAYS * 86_400_000, { path: ['to'], message: 'the period may span at most 20 years' });

export const AggregateFilterInput = builder.inputType('AggregateFilter', {
  description: 'The period (whole calendar months) and sites an aggregate covers. Only clients whose evaluation consent is in force are counted.',
  fields: (t) => ({
    from: t.field({
      type: 'Date',
      required: true,
      description: 'First day of the period (UTC), the first day of a month; prescriptions count by the day they were referred.',
    }),
    to: t.field({ type: 'Date', required: true, description: 'Last day of the period (UTC), included: the last day of a month.' }),
    sites: t.stringList({
      description: 'Only these sites, by slug. Alliance staff: any sites (all when left out). Site staff: your own site only.',
    }),
  }),
  validate: filterRules,
});

export type Scope = { from: string; to: string; sites: string[]; perturbation: Perturbation };

/** The period and the sites of an answer; FORBIDDEN for a site's staff naming another site. */
export async function scopeOf(ctx: GraphQLContext, filter: z.infer<typeof filterRules>): Promise<Scope> {
  const perturbation = perturbationOf(ctx.config);
  const period = { from: filter.from.toISOString().slice(0, 10), to: filter.to.toISOString().slice(0, 10) };
  const requested = filter.sites ? [...new Set(filter.sites)] : null;
  if (requested) {
    const known = new Set((await ctx.db.tenant.findMany({ where: { id: { in: requested } }, select: { id: true } })).map((t) => t.id));
    const unknown = filter.sites!.flatMap((site, i) => (known.has(site) ? [] : [{ field: `filter.sites.${i}`, message: `no site "${site}"` }]));
    if (unknown.length) throw badUserInput(unknown);
  }
  const principal = principalFor(ctx, 'readAggregates');
  if (principal.kind === 'STAFF') {
    if (requested?.some((site) => site !== principal.tenantId)) throw forbidden('Your role sees the aggregates of your own site only');
    return { ...period, sites: [principal.tenantId], perturbation };
  }
  const sites = requested ?? (await ctx.db.tenant.findMany({ select: { id: true } })).map((t) => t.id);
  return { ...period, sites: sites.sort(), perturbation };
}
