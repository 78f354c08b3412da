// Prescriptions and clients broken down by one dimension, or two (the equity lens of a breakdown,
// or site × need). A two-way table is suppressed against the one-way breakdowns of its margins,
// exactly as those are published on their own, so that no answer of the period undoes another.
import type { RequestDb } from '../db/request-scope.js';
import { builder } from '../graphql/builder.js';
import { badUserInput } from '../graphql/errors.js';
import { cell, CellRef, groupCell, type Cell } from './cell.js';
import { AggregateDimensionEnum, dimensionNames, dimensions, keysOf, type DimensionName } from './dimensions.js';
import { AggregateFilterInput, scopeOf, suppressionThreshold, type Scope } from './filter.js';
import { prescriptionCounts, type PrescriptionCounts } from './queries.js';
import { suppress, type Figure, type Relation, type Status } from './suppression.js';

export type Counts = { prescriptions: number; clients: number };
const nobody: Counts = { prescriptions: 0, clients: 0 };

type OneWay = { keys: string[]; counts: Counts[]; status: Status[]; total: Counts; totalStatus: Status };

/** A total is suppressed only when it is itself small, so it reads the same in every answer of the period. */
export const totalStatus = (people: number, threshold: number): Status => (people >= 1 && people < threshold ? 'SMALL_COUNT' : null);

export function oneWay(dimension: DimensionName, total: Counts, byKey: Map<string, Counts>, scope: Scope, threshold: number): OneWay {
  const keys = keysOf(dimension, byKey.keys(), scope);
  const counts = keys.map((key) => byKey.get(key) ?? nobody);
  const fixedTotal = totalStatus(total.clients, threshold);
  const figures: Figure[] = [{ people: total.clients, fixed: fixedTotal }, ...counts.map((c) => ({ people: c.clients }))];
  const relations = dimensions[dimension].additive ? [{ total: 0, parts: keys.map((_, i) => i + 1) }] : [];
  return { keys, counts, status: suppress(figures, relations, threshold).slice(1), total, totalStatus: fixedTotal };
}

type TwoWay = { rows: OneWay; columns: OneWay; counts: Counts[][]; status: Status[][] };

export function twoWay(
  [across, down]: [DimensionName, DimensionName],
  total: Counts,
  margins: [Map<string, Counts>, Map<string, Counts>],
  byKeys: Map<string, Counts>,
  scope: Scope,
  threshold: number,
): TwoWay {
  const rows = oneWay(across, total, margins[0], scope, threshold);
  const columns = oneWay(down, total, margins[1], scope, threshold);
  const counts = rows.keys.map((r) => columns.keys.map((c) => byKeys.get(pair(r, c)) ?? nobody));
  const m = rows.keys.length;
  const n = columns.keys.length;
  const rowAt = (i: number) => 1 + i;
  const columnAt = (j: number) => 1 + m + j;
  const cellAt = (i: number, j: number) => 1 + m + n + i * n + j;
  const figures: Figure[] = [
    { people: total.clients, fixed: rows.totalStatus },
    ...rows.counts.map((c, i) => ({ people: c.clients, fixed: rows.status[i]! })),
    ...columns.counts.map((c, j) => ({ people: c.clients, fixed: columns.status[j]! })),
    ...counts.flat().map((c) => ({ people: c.clients })),
  ];
  const relations: Relation[] = [];
  const range = (k: number) => Array.from({ length: k }, (_, i) => i);
  if (dimensions[across].additive) {
    relations.push({ total: 0, parts: range(m).map(rowAt) });
    for (const j of range(n)) relations.push({ total: columnAt(j), parts: range(m).map((i) => cellAt(i, j)) });
  }
  if (dimensions[down].additive) {
    relations.push({ total: 0, parts: range(n).map(columnAt) });
    for (const i of range(m)) relations.push({ total: rowAt(i), parts: range(n).map((j) => cellAt(i, j)) });
  }
  const status = suppress(figures, relations, threshold);
  return { rows, columns, counts, status: range(m).map((i) => range(n).map((j) => status[cellAt(i, j)]!)) };
}

const pair = (a: string | null, b: string | null) => `${a}\u0000${b}`;
const countsOf = (row: PrescriptionCounts): Counts => ({ prescriptions: row.prescriptions, clients: row.clients });
const byKey = (rows: PrescriptionCounts[], key: (row: PrescriptionCounts) => string) => new Map(rows.map((row) => [key(row), countsOf(row)]));

type BreakdownValue = { by: DimensionName[]; totalPrescriptions: Cell; totalClients: Cell; prescriptions: Cell[]; clients: Cell[] };

/** One breakdown, dimensions in the order asked; computed in canonical order so both orders agree. */
async function breakdown(db: RequestDb, by: DimensionName[], scope: Scope): Promise<BreakdownValue> {
  const threshold = suppressionThreshold();
  const canonical = [...by].sort((a, b) => dimensionNames.indexOf(a) - dimensionNames.indexOf(b));
  const rows = await prescriptionCounts(db, canonical, scope);
  const total = countsOf(rows.find((r) => r.grouped === 3) ?? { ...nobody, k1: null, k2: null, grouped: 3 });
  const totals = totalStatus(total.clients, threshold);
  const answer = (cells: { keys: string[]; counts: Counts; status: Status }[]): BreakdownValue => ({
    by,
    totalPrescriptions: groupCell([], total.prescriptions, totals),
    totalClients: cell([], total.clients, totals),
    prescriptions: cells.map((c) => groupCell(c.keys, c.counts.prescriptions, c.status)),
    clients: cells.map((c) => cell(c.keys, c.counts.clients, c.status)),
  });
  if (canonical.length === 1) {
    const table = oneWay(canonical[0]!, total, byKey(rows.filter((r) => r.grouped === 0), (r) => r.k1!), scope, threshold);
    return answer(table.keys.map((key, i) => ({ keys: [key], counts: table.counts[i]!, status: table.status[i]! })));
  }
  const table = twoWay(
    canonical as [DimensionName, DimensionName],
    total,
    [byKey(rows.filter((r) => r.grouped === 1), (r) => r.k1!), byKey(rows.filter((r) => r.grouped === 2), (r) => r.k2!)],
    byKey(rows.filter((r) => r.grouped === 0), (r) => pair(r.k1, r.k2)),
    scope,
    threshold,
  );
  const swapped = canonical[0] !== by[0];
  const cells = table.rows.keys.flatMap((r, i) =>
    table.columns.keys.map((c, j) => ({ keys: swapped ? [c, r] : [r, c], counts: table.counts[i]![j]!, status: table.status[i]![j]! })),
  );
  if (swapped) cells.sort((a, b) => table.columns.keys.indexOf(a.keys[0]!) - table.columns.keys.indexOf(b.keys[0]!));
  return answer(cells);
}

const BreakdownRef = builder.objectRef<BreakdownValue>('Breakdown').implement({
  description:
    'Prescriptions and distinct clients by one or two dimensions, suppressed so that no count of fewer than 5 people (the threshold) is published or can be derived from this or any other answer for the same period and sites.',
  fields: (t) => ({
    by: t.expose('by', { type: [AggregateDimensionEnum], description: 'The dimensions, in the order asked; each cell has one key per dimension in this order.' }),
    totalPrescriptions: t.expose('totalPrescriptions', { type: CellRef, description: 'All prescriptions counted.' }),
    totalClients: t.expose('totalClients', { type: CellRef, description: 'All distinct clients counted.' }),
    prescriptions: t.expose('prescriptions', { type: [CellRef], description: 'Prescriptions per combination of keys.' }),
    clients: t.expose('clients', {
      type: [CellRef],
      description: 'Distinct clients per combination of keys (in the same order). A client with prescriptions under several keys counts under each.',
    }),
  }),
});

builder.queryField('prescriptionBreakdown', (t) =>
  t.field({
    type: BreakdownRef,
    description:
      'Social prescriptions and clients by site, need, support level, status, outcome, source or month, or by a sociodemographic factor (the equity lens); two dimensions give every combination. Alliance staff: any sites; a site’s data roles: their own.',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      by: t.arg({ type: [AggregateDimensionEnum], required: true, description: 'One dimension, or two different ones.' }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.by.length < 1 || args.by.length > 2 || new Set(args.by).size !== args.by.length) {
        throw badUserInput([{ field: 'by', message: 'name one dimension, or two different ones' }]);
      }
      return breakdown(ctx.db, args.by, await scopeOf(ctx, args.filter));
    },
  }),
);
