// Prescriptions and clients broken down by one dimension, or two (the equity lens of a breakdown,
// or site × need). Every count is perturbed by its cell key (perturbation.ts); the total and the
// margins come from the same statement, and when one is withheld, so is everything it adds up
// (the whole-table rule), so that zeros never point at the people of a small total.
import type { RequestDb } from '../db/request-scope.js';
import { builder } from '../graphql/builder.js';
import { badUserInput } from '../graphql/errors.js';
import { CellRef, countCell, groupCell, type Cell, type Status } from './cell.js';
import { AggregateDimensionEnum, cellsPriced, dimensionNames, keysOf, type DimensionName } from './dimensions.js';
import { AggregateFilterInput, scopeOf, type Scope } from './filter.js';
import { perturbCount } from './perturbation.js';
import { prescriptionCounts, type PrescriptionCounts } from './queries.js';

type Counts = Pick<PrescriptionCounts, 'prescriptions' | 'prescription_key' | 'clients' | 'client_key'>;
const nobody: Counts = { prescriptions: 0, prescription_key: 0, clients: 0, client_key: 0 };

type Figures = { keys: string[]; clients: Cell; prescriptions: Cell };

/** The clients of a group and, about that group, its prescriptions; withheld within a withheld table or row. */
function figures(scope: Scope, keys: string[], counts: Counts, within: Status): Figures {
  const clients = countCell(keys, perturbCount(scope.perturbation, counts.clients, counts.client_key), within);
  const prescriptions = clients.suppressed
    ? groupCell(keys, null, clients)
    : countCell(keys, perturbCount(scope.perturbation, counts.prescriptions, counts.prescription_key));
  return { keys, clients, prescriptions };
}

const withheldIf = (group: Figures | undefined): Status => (group?.clients.suppressed ? 'SMALL_TABLE' : null);
const pair = (a: string | null, b: string | null) => `${a}\u0000${b}`;

type BreakdownValue = { by: DimensionName[]; totalPrescriptions: Cell; totalClients: Cell; prescriptions: Cell[]; clients: Cell[] };

/** One breakdown, dimensions in the order asked; computed in canonical order so both orders agree. */
async function breakdown(db: RequestDb, by: DimensionName[], scope: Scope): Promise<BreakdownValue> {
  const canonical = [...by].sort((a, b) => dimensionNames.indexOf(a) - dimensionNames.indexOf(b));
  const rows = await prescriptionCounts(db, canonical, scope);
  const grouped = (g: number, key: (r: PrescriptionCounts) => string) => new Map(rows.filter((r) => r.grouped === g).map((r) => [key(r), r]));
  const total = figures(scope, [], rows.find((r) => r.grouped === 3) ?? nobody, null);
  const inTable = withheldIf(total);
  let cells: Figures[];
  if (canonical.length === 1) {
    const byKey = grouped(0, (r) => r.k1!);
    cells = keysOf(canonical[0]!, scope).map((key) => figures(scope, [key], byKey.get(key) ?? nobody, inTable));
  } else {
    const [across, down] = canonical as [DimensionName, DimensionName];
    const margin = (dimension: DimensionName, g: number, key: (r: PrescriptionCounts) => string) => {
      const byKey = grouped(g, key);
      return new Map(keysOf(dimension, scope).map((k) => [k, figures(scope, [k], byKey.get(k) ?? nobody, inTable)]));
    };
    const rowMargins = margin(across, 1, (r) => r.k1!);
    const columnMargins = margin(down, 2, (r) => r.k2!);
    const byKeys = grouped(0, (r) => pair(r.k1, r.k2));
    const swapped = canonical[0] !== by[0];
    const [outer, inner] = swapped ? [[...columnMargins.keys()], [...rowMargins.keys()]] : [[...rowMargins.keys()], [...columnMargins.keys()]];
    cells = outer.flatMap((o) =>
      inner.map((i) => {
        const [r, c] = swapped ? [i, o] : [o, i];
        const within = inTable ?? withheldIf(rowMargins.get(r)) ?? withheldIf(columnMargins.get(c));
        return figures(scope, swapped ? [c, r] : [r, c], byKeys.get(pair(r, c)) ?? nobody, within);
      }),
    );
  }
  return {
    by,
    totalPrescriptions: total.prescriptions,
    totalClients: total.clients,
    prescriptions: cells.map((c) => c.prescriptions),
    clients: cells.map((c) => c.clients),
  };
}

const BreakdownRef = builder.objectRef<BreakdownValue>('Breakdown').implement({
  authz: 'reached',
  description:
    'Prescriptions and distinct clients by one or two dimensions, perturbed by the cell-key method; no count of fewer than 5 people (the threshold) is published, and a table or row whose total is withheld is withheld whole.',
  fields: (t) => ({
    by: t.expose('by', {
      type: [AggregateDimensionEnum],
      description: 'The dimensions, in the order asked; each cell has one key per dimension in this order.',
    }),
    totalPrescriptions: t.expose('totalPrescriptions', { type: CellRef, description: 'All prescriptions counted.' }),
    totalClients: t.expose('totalClients', {
      type: CellRef,
      description:
        'All distinct clients counted: the same figure in every answer for the period and sites. Cells are perturbed each on its own, so they need not add up to it.',
    }),
    prescriptions: t.expose('prescriptions', { type: [CellRef], description: 'Prescriptions per combination of keys.' }),
    clients: t.expose('clients', {
      type: [CellRef],
      description: 'Distinct clients per combination of keys (in the same order). A client with prescriptions under several keys counts under each.',
    }),
  }),
});

builder.queryField('prescriptionBreakdown', (t) =>
  t.field({
    authz: 'readAggregates',
    type: BreakdownRef,
    description:
      'Social prescriptions and clients by site, need, support level, status, outcome, source or month, or by a sociodemographic factor (the equity lens); two dimensions give every combination. Alliance staff: any sites; a site’s data roles: their own.',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      by: t.arg({ type: [AggregateDimensionEnum], required: true, description: 'One dimension, or two different ones.' }),
    },
    // Two figures (prescriptions, clients) per cell and margin.
    complexity: (args) => ({ field: 2 * cellsPriced(args.by, args.filter), multiplier: 1 }),
    resolve: async (_root, args, ctx) => {
      if (args.by.length < 1 || args.by.length > 2 || new Set(args.by).size !== args.by.length) {
        throw badUserInput([{ field: 'by', message: 'name one dimension, or two different ones' }]);
      }
      return breakdown(ctx.db, args.by, await scopeOf(ctx, args.filter));
    },
  }),
);
