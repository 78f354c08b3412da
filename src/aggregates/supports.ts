// The supports clients were connected to (prescription items), the pilot's Figure 7: by support
// category, kind and status, and by anything a prescription is broken down by (site, region, the
// equity lens). Connections and distinct clients, under the same disclosure control as the
// prescription breakdown: each count perturbed by its cell key, connections withheld with their
// clients, the whole-table rule, regions of one site withheld.
import type { RequestDb } from '../db/request-scope.js';
import { builder } from '../graphql/builder.js';
import { CellRef, type Cell } from './cell.js';
import { checkDimensions, tabulate } from './breakdown.js';
import { ConsentCoverageRef, coverage } from './coverage.js';
import { cellsPriced, SupportDimensionEnum, supportDimensionNames, type SupportDimensionName } from './dimensions.js';
import { AggregateFilterInput, scopeOf, type Scope } from './filter.js';
import { supportCounts } from './queries.js';
import { regionRule } from './regions.js';

type SupportBreakdownValue = { by: SupportDimensionName[]; scope: Scope; totalConnections: Cell; totalClients: Cell; connections: Cell[]; clients: Cell[] };

async function supportBreakdown(db: RequestDb, by: SupportDimensionName[], scope: Scope): Promise<SupportBreakdownValue> {
  const canonical = [...by].sort((a, b) => supportDimensionNames.indexOf(a) - supportDimensionNames.indexOf(b));
  const rows = (await supportCounts(db, canonical, scope)).map((r) => ({ ...r, units: r.connections, unit_key: r.connection_key }));
  const { total, cells } = tabulate(rows, by, canonical, scope, await regionRule(db, by, scope));
  return {
    by,
    scope,
    totalConnections: total.units,
    totalClients: total.clients,
    connections: cells.map((c) => c.units),
    clients: cells.map((c) => c.clients),
  };
}

const SupportBreakdownRef = builder.objectRef<SupportBreakdownValue>('SupportBreakdown').implement({
  authz: 'reached',
  description:
    'The supports clients were connected to (a prescription’s items: programs and assets) and the distinct clients connected, by one or two dimensions, perturbed by the cell-key method; no count of fewer than 5 people (the threshold) is published, and a table or row whose total is withheld is withheld whole.',
  fields: (t) => ({
    by: t.expose('by', {
      type: [SupportDimensionEnum],
      description: 'The dimensions, in the order asked; each cell has one key per dimension in this order.',
    }),
    totalConnections: t.expose('totalConnections', { type: CellRef, description: 'All connections counted (items of the counted prescriptions).' }),
    totalClients: t.expose('totalClients', { type: CellRef, description: 'All distinct clients with a connection counted.' }),
    connections: t.expose('connections', {
      type: [CellRef],
      description: 'Connections per combination of keys. A support in several categories counts under each.',
    }),
    clients: t.expose('clients', {
      type: [CellRef],
      description: 'Distinct clients per combination of keys (in the same order). A client connected under several keys counts under each.',
    }),
    coverage: t.field({
      type: ConsentCoverageRef,
      description: 'How many prescriptions and clients of the period and sites exist, how many are counted, how many are left out.',
      resolve: async (b, _args, ctx) => (await coverage(ctx).load(b.scope)).total,
    }),
  }),
});

builder.queryField('supportBreakdown', (t) =>
  t.field({
    authz: 'readAggregates',
    type: SupportBreakdownRef,
    description:
      'The supports clients were connected to (Figure 7 of the pilot’s progress report): by support category, kind (program, partner program, Health-Champion-led, asset) or status, and by site, region, need or a sociodemographic factor; two dimensions give every combination. Items of the prescriptions counted (referred in the period, evaluation consent in force). Alliance staff: any sites; a site’s data roles: their own.',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period (of the prescriptions) and sites.' }),
      by: t.arg({ type: [SupportDimensionEnum], required: true, description: 'One dimension, or two different ones.' }),
    },
    // Two figures (connections, clients) per cell and margin.
    complexity: (args) => ({ field: 2 * cellsPriced(args.by, args.filter), multiplier: 1 }),
    resolve: async (_root, args, ctx) => {
      checkDimensions(args.by);
      return supportBreakdown(ctx.db, args.by, await scopeOf(ctx, args.filter));
    },
  }),
);
