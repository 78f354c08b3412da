// Prescriptions and clients broken down by one dimension, or two (the equity lens of a breakdown,
// or site × need). Every count is perturbed by its cell key (perturbation.ts); the total and the
// margins come from the same statement, and when one is withheld, so is everything it adds up
// (the whole-table rule), so that zeros never point at the people of a small total.
import type { RequestDb } from '../db/request-scope.js';
import { builder } from '../graphql/builder.js';
import { badUserInput } from '../graphql/errors.js';
import { CellRef, countCell, groupCell, type Cell, type Status } from './cell.js';
import { ConsentCoverageRef, coverage } from './coverage.js';
import { AggregateDimensionEnum, cellsPriced, dimensionNames, keysOf, type DimensionName, type SupportDimensionName } from './dimensions.js';
import { AggregateFilterInput, scopeOf, type Scope } from './filter.js';
import { perturbCount } from './perturbation.js';
import { prescriptionCounts } from './queries.js';
import { regionRule, type KeyRule } from './regions.js';

/** What a breakdown counts per key: units (prescriptions, connections) and the distinct clients they are about. */
export type UnitCounts = { k1: string | null; k2: string | null; grouped: number; units: number; unit_key: number; clients: number; client_key: number };
const nobody = { units: 0, unit_key: 0, clients: 0, client_key: 0 };

type Figures = { keys: string[]; clients: Cell; units: Cell };

/** The clients of a group and, about that group, its units; withheld within a withheld table or row. */
function figures(scope: Scope, keys: string[], counts: typeof nobody, within: Status): Figures {
  const clients = countCell(keys, perturbCount(scope.perturbation, counts.clients, counts.client_key), within);
  const units = clients.suppressed ? groupCell(keys, null, clients) : countCell(keys, perturbCount(scope.perturbation, counts.units, counts.unit_key));
  return { keys, clients, units };
}

const withheldIf = (group: Figures | undefined): Status => (group?.clients.suppressed ? 'SMALL_TABLE' : null);
const pair = (a: string | null, b: string | null) => `${a}\u0000${b}`;

export type Table = { total: Figures; cells: Figures[] };

/**
 * One table from the rows of one statement (`canonical`: the dimensions in the order the statement
 * was asked, `by`: in the order the caller asked). `rule` withholds keys whatever they count (a
 * region of one site); the whole-table rule then withholds their rows.
 */
export function tabulate<D extends SupportDimensionName>(rows: UnitCounts[], by: D[], canonical: D[], scope: Scope, rule: KeyRule): Table {
  const grouped = (g: number, key: (r: UnitCounts) => string) => new Map(rows.filter((r) => r.grouped === g).map((r) => [key(r), r]));
  const total = figures(scope, [], rows.find((r) => r.grouped === 3) ?? nobody, null);
  const inTable = withheldIf(total);
  if (canonical.length === 1) {
    const [only] = canonical as [D];
    const byKey = grouped(0, (r) => r.k1!);
    return { total, cells: keysOf(only, scope).map((key) => figures(scope, [key], byKey.get(key) ?? nobody, inTable ?? rule(only, key))) };
  }
  const [across, down] = canonical as [D, D];
  const margin = (dimension: D, g: number, key: (r: UnitCounts) => string) => {
    const byKey = grouped(g, key);
    return new Map(keysOf(dimension, scope).map((k) => [k, figures(scope, [k], byKey.get(k) ?? nobody, inTable ?? rule(dimension, k))]));
  };
  const rowMargins = margin(across, 1, (r) => r.k1!);
  const columnMargins = margin(down, 2, (r) => r.k2!);
  const byKeys = grouped(0, (r) => pair(r.k1, r.k2));
  const swapped = canonical[0] !== by[0];
  const [outer, inner] = swapped ? [[...columnMargins.keys()], [...rowMargins.keys()]] : [[...rowMargins.keys()], [...columnMargins.keys()]];
  const cells = outer.flatMap((o) =>
    inner.map((i) => {
      const [r, c] = swapped ? [i, o] : [o, i];
      const within = inTable ?? rule(across, r) ?? rule(down, c) ?? withheldIf(rowMargins.get(r)) ?? withheldIf(columnMargins.get(c));
      return figures(scope, swapped ? [c, r] : [r, c], byKeys.get(pair(r, c)) ?? nobody, within);
    }),
  );
  return { total, cells };
}

/** One dimension, or two different ones: anything else is refused with a message that says so. */
export function checkDimensions(by: readonly string[]) {
  if (by.length < 1 || by.length > 2 || new Set(by).size !== by.length) {
    throw badUserInput([{ field: 'by', message: 'name one dimension, or two different ones' }]);
  }
}

type BreakdownValue = { by: DimensionName[]; scope: Scope; totalPrescriptions: Cell; totalClients: Cell; prescriptions: Cell[]; clients: Cell[] };

/** One breakdown, dimensions in the order asked; computed in canonical order so both orders agree. */
async function breakdown(db: RequestDb, by: DimensionName[], scope: Scope): Promise<BreakdownValue> {
  const canonical = [...by].sort((a, b) => dimensionNames.indexOf(a) - dimensionNames.indexOf(b));
  const rows = (await prescriptionCounts(db, canonical, scope)).map((r) => ({ ...r, units: r.prescriptions, unit_key: r.prescription_key }));
  const { total, cells } = tabulate(rows, by, canonical, scope, await regionRule(db, by, scope));
  return {
    by,
    scope,
    totalPrescriptions: total.units,
    totalClients: total.clients,
    prescriptions: cells.map((c) => c.units),
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
    coverage: t.field({
      type: ConsentCoverageRef,
      description: 'How many prescriptions and clients of the period and sites exist, how many are counted, how many are left out.',
      resolve: async (b, _args, ctx) => (await coverage(ctx).load(b.scope)).total,
    }),
  }),
});

builder.queryField('prescriptionBreakdown', (t) =>
  t.field({
    authz: 'readAggregates',
    type: BreakdownRef,
    description:
      'Social prescriptions and clients by site, region, need, support level, status, outcome, source or month, or by a sociodemographic factor (the equity lens); two dimensions give every combination. Alliance staff: any sites; a site’s data roles: their own.',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      by: t.arg({ type: [AggregateDimensionEnum], required: true, description: 'One dimension, or two different ones.' }),
    },
    // Two figures (prescriptions, clients) per cell and margin.
    complexity: (args) => ({ field: 2 * cellsPriced(args.by, args.filter), multiplier: 1 }),
    resolve: async (_root, args, ctx) => {
      checkDimensions(args.by);
      return breakdown(ctx.db, args.by, await scopeOf(ctx, args.filter));
    },
  }),
);
