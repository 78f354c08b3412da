// What changed for clients between baseline and follow-up, per instrument, and the visits to
// primary care and emergency before and after: for everyone, or by a sociodemographic factor.
// Each group is suppressed as a whole on its count of people, against the everyone row.
import type { Instrument } from '../generated/prisma/enums.js';
import { InstrumentEnum } from '../evaluation/outcome-assessment.js';
import { builder } from '../graphql/builder.js';
import { cell, CellRef, groupCell, round, type Cell } from './cell.js';
import { EquityFactorEnum, keysOf, type EquityFactor } from './dimensions.js';
import { AggregateFilterInput, scopeOf, suppressionThreshold, type Scope } from './filter.js';
import { outcomeCounts, utilizationCounts } from './queries.js';
import { totalStatus } from './breakdown.js';
import { suppress, type Status } from './suppression.js';

/** Everyone (keys []) and then each group of the factor, with each group's suppression. */
function groups<Row extends { grp: string | null; grouped: number; clients: number }>(
  rows: Row[],
  factor: EquityFactor | null,
  scope: Scope,
  threshold: number,
  empty: Row,
): { keys: string[]; row: Row; status: Status }[] {
  const everyone = rows.find((r) => r.grouped === 1) ?? empty;
  const everyoneStatus = totalStatus(everyone.clients, threshold);
  if (!factor) return [{ keys: [], row: everyone, status: everyoneStatus }];
  const byGroup = new Map(rows.filter((r) => r.grouped === 0).map((r) => [r.grp!, r]));
  const keys = keysOf(factor, byGroup.keys(), scope);
  const members = keys.map((key) => byGroup.get(key) ?? { ...empty, grp: key, grouped: 0 });
  const status = suppress(
    [{ people: everyone.clients, fixed: everyoneStatus }, ...members.map((r) => ({ people: r.clients }))],
    [{ total: 0, parts: keys.map((_, i) => i + 1) }],
    threshold,
  );
  return [{ keys: [], row: everyone, status: everyoneStatus }, ...members.map((row, i) => ({ keys: [row.grp!], row, status: status[i + 1]! }))];
}

const share = (count: number, of: number) => (of > 0 ? round(count / of, 3) : null);

type OutcomeChangeValue = {
  instrument: Instrument;
  keys: string[];
  clientsWithBoth: Cell;
  meanChange: Cell;
  shareImproved: Cell;
  shareLonelyBefore: Cell | null;
  shareLonelyAfter: Cell | null;
};

/** Instruments with a score; ONS4 reports its four questions separately and is not summarized. */
const scoredInstruments: Instrument[] = ['UCLA_LONELINESS_3', 'SWEMWBS', 'COMMUNITY_BELONGING', 'SELF_RATED_HEALTH', 'SELF_RATED_MENTAL_HEALTH'];

const OutcomeChangeRef = builder.objectRef<OutcomeChangeValue>('OutcomeChange').implement({
  description:
    'Baseline against follow-up on one instrument for one group: clients with both, each client’s latest follow-up after the baseline. SWEMWBS in metric score.',
  fields: (t) => ({
    instrument: t.expose('instrument', { type: InstrumentEnum, description: 'The instrument.' }),
    keys: t.exposeStringList('keys', { description: 'The group: empty for everyone, else the value of the sociodemographic factor.' }),
    clientsWithBoth: t.expose('clientsWithBoth', { type: CellRef, description: 'Clients with a baseline and a follow-up score.' }),
    meanChange: t.expose('meanChange', { type: CellRef, description: 'Mean of follow-up minus baseline (two decimals).' }),
    shareImproved: t.expose('shareImproved', {
      type: CellRef,
      description: 'Share of those clients who improved, 0 to 1: a lower UCLA-3 score, a higher score on the others.',
    }),
    shareLonelyBefore: t.expose('shareLonelyBefore', {
      type: CellRef,
      nullable: true,
      description: 'UCLA-3 only: share lonely (score 6 or more) at baseline, 0 to 1.',
    }),
    shareLonelyAfter: t.expose('shareLonelyAfter', {
      type: CellRef,
      nullable: true,
      description: 'UCLA-3 only: share lonely (score 6 or more) at follow-up, 0 to 1.',
    }),
  }),
});

builder.queryField('outcomeChanges', (t) =>
  t.field({
    type: [OutcomeChangeRef],
    description:
      'Outcome changes per scored instrument for clients prescribed to in the period: everyone first, then each group of the factor when one is given (the equity lens).',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      equity: t.arg({ type: EquityFactorEnum, required: false, description: 'Break each instrument down by this factor.' }),
    },
    resolve: async (_root, args, ctx) => {
      const scope = await scopeOf(ctx, args.filter);
      const factor = args.equity ?? null;
      const rows = await outcomeCounts(ctx.db, factor, scope);
      const threshold = suppressionThreshold();
      return scoredInstruments.flatMap((instrument) => {
        const empty = { instrument, grp: null, grouped: 1, clients: 0, mean_change: null, improved: 0, lonely_before: 0, lonely_after: 0 };
        const ucla = instrument === 'UCLA_LONELINESS_3';
        return groups(rows.filter((r) => r.instrument === instrument), factor, scope, threshold, empty).map(({ keys, row, status }) => ({
          instrument,
          keys,
          clientsWithBoth: cell(keys, row.clients, status),
          meanChange: groupCell(keys, row.mean_change === null ? null : round(row.mean_change, 2), status),
          shareImproved: groupCell(keys, share(row.improved, row.clients), status),
          shareLonelyBefore: ucla ? groupCell(keys, share(row.lonely_before, row.clients), status) : null,
          shareLonelyAfter: ucla ? groupCell(keys, share(row.lonely_after, row.clients), status) : null,
        }));
      });
    },
  }),
);

type UtilizationChangeValue = {
  keys: string[];
  clients: Cell;
  primaryCareBefore: Cell;
  primaryCareAfter: Cell;
  primaryCarePercentChange: Cell;
  emergencyBefore: Cell;
  emergencyAfter: Cell;
  emergencyPercentChange: Cell;
};

const percentChange = (before: number, after: number) => (before > 0 ? round(((after - before) / before) * 100, 1) : null);

const UtilizationChangeRef = builder.objectRef<UtilizationChangeValue>('UtilizationChange').implement({
  description: 'Visits in the months before and after a prescription, over the prescriptions with both EMR extracts, for one group.',
  fields: (t) => ({
    keys: t.exposeStringList('keys', { description: 'The group: empty for everyone, else the value of the sociodemographic factor.' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients with visits before and after.' }),
    primaryCareBefore: t.expose('primaryCareBefore', { type: CellRef, description: 'Primary-care visits before, in total.' }),
    primaryCareAfter: t.expose('primaryCareAfter', { type: CellRef, description: 'Primary-care visits after, in total.' }),
    primaryCarePercentChange: t.expose('primaryCarePercentChange', { type: CellRef, description: 'Change in primary-care visits, in percent (negative: fewer).' }),
    emergencyBefore: t.expose('emergencyBefore', { type: CellRef, description: 'Emergency visits before, in total.' }),
    emergencyAfter: t.expose('emergencyAfter', { type: CellRef, description: 'Emergency visits after, in total.' }),
    emergencyPercentChange: t.expose('emergencyPercentChange', { type: CellRef, description: 'Change in emergency visits, in percent (negative: fewer).' }),
  }),
});

builder.queryField('utilizationChange', (t) =>
  t.field({
    type: [UtilizationChangeRef],
    description:
      'Primary-care and emergency visits before and after the prescriptions of the period: everyone first, then each group of the factor when one is given (the equity lens).',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      equity: t.arg({ type: EquityFactorEnum, required: false, description: 'Break the figures down by this factor.' }),
    },
    resolve: async (_root, args, ctx) => {
      const scope = await scopeOf(ctx, args.filter);
      const factor = args.equity ?? null;
      const empty = { grp: null, grouped: 1, clients: 0, primary_care_before: 0, primary_care_after: 0, emergency_before: 0, emergency_after: 0 };
      const rows = await utilizationCounts(ctx.db, factor, scope);
      return groups(rows, factor, scope, suppressionThreshold(), empty).map(({ keys, row, status }) => ({
        keys,
        clients: cell(keys, row.clients, status),
        primaryCareBefore: groupCell(keys, row.primary_care_before, status),
        primaryCareAfter: groupCell(keys, row.primary_care_after, status),
        primaryCarePercentChange: groupCell(keys, percentChange(row.primary_care_before, row.primary_care_after), status),
        emergencyBefore: groupCell(keys, row.emergency_before, status),
        emergencyAfter: groupCell(keys, row.emergency_after, status),
        emergencyPercentChange: groupCell(keys, percentChange(row.emergency_before, row.emergency_after), status),
      }));
    },
  }),
);
