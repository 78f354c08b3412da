// The pilot's headline ("55 providers have made over 600 social prescriptions to 221 clients"),
// for the network or one site, with the same figures per site.
import DataLoader from 'dataloader';
import { builder } from '../graphql/builder.js';
import { inKeyOrder, perRequest } from '../graphql/context.js';
import { TenantNode } from '../tenants/tenant.js';
import { CellRef, countCell, groupCell, type Cell, type Status } from './cell.js';
import { ConsentCoverageRef, coverage } from './coverage.js';
import { AggregateFilterInput, scopeOf, type Scope } from './filter.js';
import { perturbCount } from './perturbation.js';
import { summaryCounts, type SummaryCounts } from './queries.js';

type Figures = { prescriptions: Cell; clients: Cell; providers: Cell; healthChampions: Cell; programs: Cell };
type SiteSummaryValue = Figures & { siteId: string; scope: Scope };
type NetworkSummaryValue = Figures & { from: string; to: string; sites: number; bySite: SiteSummaryValue[]; scope: Scope };

const nobody: SummaryCounts = {
  site: null,
  grouped: 0,
  prescriptions: 0,
  prescription_key: 0,
  clients: 0,
  client_key: 0,
  providers: 0,
  provider_key: 0,
  programs: 0,
  program_key: 0,
  health_champions: 0,
  champion_key: 0,
};

/**
 * Every count perturbed by its own cell key. Prescriptions, providers and programs describe the
 * clients prescribed to, so they go with them; Health Champions are counted on their own. The sites
 * are a breakdown by SITE: with the network's total withheld, every site's figure is withheld too.
 */
function summarize(rows: SummaryCounts[], scope: Scope): NetworkSummaryValue {
  const p = scope.perturbation;
  const figures = (keys: string[], r: SummaryCounts, within: { clients: Status; champions: Status }): Figures => {
    const clients = countCell(keys, perturbCount(p, r.clients, r.client_key), within.clients);
    const aboutClients = (count: number, key: number) => (clients.suppressed ? groupCell(keys, null, clients) : countCell(keys, perturbCount(p, count, key)));
    return {
      clients,
      prescriptions: aboutClients(r.prescriptions, r.prescription_key),
      providers: aboutClients(r.providers, r.provider_key),
      programs: aboutClients(r.programs, r.program_key),
      healthChampions: countCell(keys, perturbCount(p, r.health_champions, r.champion_key), within.champions),
    };
  };
  const all = figures([], rows.find((r) => r.grouped === 1) ?? { ...nobody, grouped: 1 }, { clients: null, champions: null });
  const perSite = new Map(rows.filter((r) => r.grouped === 0).map((r) => [r.site!, r]));
  const within = {
    clients: all.clients.suppressed ? ('SMALL_TABLE' as const) : null,
    champions: all.healthChampions.suppressed ? ('SMALL_TABLE' as const) : null,
  };
  const bySite = scope.sites.map((site) => ({ siteId: site, scope, ...figures([site], perSite.get(site) ?? nobody, within) }));
  return {
    ...all,
    scope,
    from: scope.from,
    to: scope.to,
    sites: bySite.filter((s) => !s.prescriptions.suppressed).length,
    bySite,
  };
}

// Sites of a list of per-site figures, loaded together.
const tenantById = perRequest(
  (ctx) =>
    new DataLoader(async (ids: readonly string[]) => inKeyOrder(ids, await ctx.db.tenant.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id)),
);

const SiteSummaryRef = builder.objectRef<SiteSummaryValue>('SiteSummary').implement({
  authz: 'reached',
  description: 'The headline figures of one site (each cell keyed by the site slug).',
  fields: (t) => ({
    site: t.field({ type: TenantNode, description: 'The site.', resolve: async (s, _args, ctx) => (await tenantById(ctx).load(s.siteId))! }),
    prescriptions: t.expose('prescriptions', { type: CellRef, description: 'Social prescriptions made.' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients prescribed to.' }),
    providers: t.expose('providers', { type: CellRef, description: 'Providers who prescribed.' }),
    healthChampions: t.expose('healthChampions', { type: CellRef, description: 'Active Health Champions (volunteers who lead activities).' }),
    programs: t.expose('programs', { type: CellRef, description: 'Programs clients were connected to.' }),
    coverage: t.field({
      type: ConsentCoverageRef,
      description: 'How many prescriptions and clients of the site exist, how many are counted, how many are left out; withheld as the network’s by site.',
      resolve: async (s, _args, ctx) => (await coverage(ctx).load(s.scope)).bySite.get(s.siteId)!,
    }),
  }),
});

const NetworkSummaryRef = builder.objectRef<NetworkSummaryValue>('NetworkSummary').implement({
  authz: 'reached',
  description: 'The headline of social prescribing over a period: who prescribed how much to how many, with what community capacity.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'First day of the period.', resolve: (s) => new Date(`${s.from}T00:00:00Z`) }),
    to: t.field({ type: 'Date', description: 'Last day of the period.', resolve: (s) => new Date(`${s.to}T00:00:00Z`) }),
    sites: t.exposeInt('sites', { description: 'Sites whose prescriptions of the period are published (not withheld as too few).' }),
    providers: t.expose('providers', { type: CellRef, description: 'Providers who prescribed.' }),
    prescriptions: t.expose('prescriptions', { type: CellRef, description: 'Social prescriptions made (entered-in-error ones left out).' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients prescribed to.' }),
    healthChampions: t.expose('healthChampions', { type: CellRef, description: 'Active Health Champions at the sites.' }),
    programs: t.expose('programs', { type: CellRef, description: 'Distinct programs clients were connected to.' }),
    bySite: t.expose('bySite', { type: [SiteSummaryRef], description: 'The same figures per site, withheld as the breakdown by SITE is.' }),
    coverage: t.field({
      type: ConsentCoverageRef,
      description:
        'How many prescriptions and clients of the period exist, how many are counted (evaluation consent in force), how many are left out. Its counted figures are this headline’s prescriptions and clients.',
      resolve: async (s, _args, ctx) => (await coverage(ctx).load(s.scope)).total,
    }),
  }),
});

builder.queryField('networkSummary', (t) =>
  t.field({
    authz: 'readAggregates',
    type: NetworkSummaryRef,
    description: 'The headline figures of social prescribing. Alliance staff: the network or any sites; a site’s data roles: their own site.',
    args: { filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }) },
    resolve: async (_root, args, ctx) => {
      const scope = await scopeOf(ctx, args.filter);
      return summarize(await summaryCounts(ctx.db, scope), scope);
    },
  }),
);
