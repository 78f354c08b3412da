// The pilot's headline ("55 providers have made over 600 social prescriptions to 221 clients"),
// for the network or one site, with the same figures per site.
import DataLoader from 'dataloader';
import type { Tenant } from '../generated/prisma/client.js';
import { builder } from '../graphql/builder.js';
import type { GraphQLContext } from '../graphql/context.js';
import { TenantNode } from '../sites/tenant.js';
import { oneWay, totalStatus, type Counts } from './breakdown.js';
import { cell, CellRef, groupCell, type Cell } from './cell.js';
import { AggregateFilterInput, scopeOf, suppressionThreshold, type Scope } from './filter.js';
import { summaryCounts, type SummaryCounts } from './queries.js';
import { suppress, type Status } from './suppression.js';

type Figures = { prescriptions: Cell; clients: Cell; providers: Cell; healthChampions: Cell; programs: Cell };
type SiteSummaryValue = Figures & { siteId: string };
type NetworkSummaryValue = Figures & { from: string; to: string; sites: number; bySite: SiteSummaryValue[] };

/**
 * Per site, prescriptions and clients are suppressed exactly as in the breakdown by SITE. Providers
 * and Health Champions are people too: each count has its own suppression, and providers and
 * programs of a site with too few clients say something about those clients, so they go with them.
 */
function summarize(rows: SummaryCounts[], scope: Scope, threshold: number): NetworkSummaryValue {
  const all = rows.find((r) => r.grouped === 1)!;
  const perSite = new Map(rows.filter((r) => r.grouped === 0).map((r) => [r.site!, r]));
  const counts = (r: SummaryCounts): Counts => ({ prescriptions: r.prescriptions, clients: r.clients });
  const sites = oneWay('SITE', counts(all), new Map([...perSite].map(([site, r]) => [site, counts(r)])), scope, threshold);
  const smallClients = totalStatus(all.clients, threshold);
  const ofSmallGroup = (status: Status) => (status === 'SMALL_COUNT' ? ('SMALL_GROUP' as const) : undefined);

  const bySitePeople = (count: (r: SummaryCounts) => number, total: Status, forced: (i: number) => 'SMALL_GROUP' | undefined) =>
    suppress(
      [{ people: count(all), fixed: total }, ...sites.keys.map((site, i) => ({ people: count(perSite.get(site)!), forced: forced(i) }))],
      [{ total: 0, parts: sites.keys.map((_, i) => i + 1) }],
      threshold,
    ).slice(1);
  const providersTotal = ofSmallGroup(smallClients) ?? totalStatus(all.providers, threshold);
  const providers = bySitePeople((r) => r.providers, providersTotal, (i) => ofSmallGroup(sites.status[i]!));
  const championsTotal = totalStatus(all.health_champions, threshold);
  const champions = bySitePeople((r) => r.health_champions, championsTotal, () => undefined);

  const figures = (keys: string[], r: SummaryCounts, clients: Status, providerStatus: Status, championStatus: Status): Figures => ({
    prescriptions: groupCell(keys, r.prescriptions, clients),
    clients: cell(keys, r.clients, clients),
    providers: cell(keys, r.providers, providerStatus),
    healthChampions: cell(keys, r.health_champions, championStatus),
    programs: cell(keys, r.programs, ofSmallGroup(clients) ?? null),
  });
  return {
    ...figures([], all, smallClients, providersTotal, championsTotal),
    from: scope.from,
    to: scope.to,
    sites: [...perSite.values()].filter((r) => r.prescriptions > 0).length,
    bySite: sites.keys.map((site, i) => ({
      siteId: site,
      ...figures([site], perSite.get(site)!, sites.status[i]!, providers[i]!, champions[i]!),
    })),
  };
}

// Sites of a list of per-site figures, loaded together.
const tenantLoaders = new WeakMap<GraphQLContext, DataLoader<string, Tenant | null>>();
function tenantById(ctx: GraphQLContext) {
  let loader = tenantLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.db.tenant.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    tenantLoaders.set(ctx, loader);
  }
  return loader;
}

const SiteSummaryRef = builder.objectRef<SiteSummaryValue>('SiteSummary').implement({
  description: 'The headline figures of one site (each cell keyed by the site slug).',
  fields: (t) => ({
    site: t.field({ type: TenantNode, description: 'The site.', resolve: async (s, _args, ctx) => (await tenantById(ctx).load(s.siteId))! }),
    prescriptions: t.expose('prescriptions', { type: CellRef, description: 'Social prescriptions made.' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients prescribed to.' }),
    providers: t.expose('providers', { type: CellRef, description: 'Providers who prescribed.' }),
    healthChampions: t.expose('healthChampions', { type: CellRef, description: 'Active Health Champions (volunteers who lead activities).' }),
    programs: t.expose('programs', { type: CellRef, description: 'Programs clients were connected to.' }),
  }),
});

const NetworkSummaryRef = builder.objectRef<NetworkSummaryValue>('NetworkSummary').implement({
  description: 'The headline of social prescribing over a period: who prescribed how much to how many, with what community capacity.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'First day of the period.', resolve: (s) => new Date(`${s.from}T00:00:00Z`) }),
    to: t.field({ type: 'Date', description: 'Last day of the period.', resolve: (s) => new Date(`${s.to}T00:00:00Z`) }),
    sites: t.exposeInt('sites', { description: 'Sites that made at least one social prescription in the period.' }),
    providers: t.expose('providers', { type: CellRef, description: 'Providers who prescribed.' }),
    prescriptions: t.expose('prescriptions', { type: CellRef, description: 'Social prescriptions made (entered-in-error ones left out).' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients prescribed to.' }),
    healthChampions: t.expose('healthChampions', { type: CellRef, description: 'Active Health Champions at the sites.' }),
    programs: t.expose('programs', { type: CellRef, description: 'Distinct programs clients were connected to.' }),
    bySite: t.expose('bySite', { type: [SiteSummaryRef], description: 'The same figures per site, suppressed as the breakdown by SITE is.' }),
  }),
});

builder.queryField('networkSummary', (t) =>
  t.field({
    type: NetworkSummaryRef,
    description: 'The headline figures of social prescribing. Alliance staff: the network or any sites; a site’s data roles: their own site.',
    args: { filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }) },
    resolve: async (_root, args, ctx) => {
      const scope = await scopeOf(ctx, args.filter);
      return summarize(await summaryCounts(ctx.db, scope), scope, suppressionThreshold());
    },
  }),
);
