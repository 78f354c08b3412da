// What changed for clients between baseline and follow-up, per instrument, and the visits to
// primary care and emergency before and after: for everyone, or by a sociodemographic factor.
// Counts of people are perturbed by their cell keys, sums by the magnitude variant, and means,
// shares and changes are worked out from those perturbed figures only. A group whose perturbed
// count is under the threshold is withheld whole, and with everyone withheld, every group is.
import type { Instrument } from '../generated/prisma/enums.js';
import { InstrumentEnum } from '../evaluation/outcome-assessment.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import { cell, CellRef, countCell, groupCell, round, type Cell } from './cell.js';
import { EquityFactorEnum, keysOf, type EquityFactor } from './dimensions.js';
import { AggregateFilterInput, scopeOf, type Scope } from './filter.js';
import { perturbCount, perturbSum } from './perturbation.js';
import { outcomeCounts, utilizationCounts } from './queries.js';

type Group<Row> = { keys: string[]; row: Row; clients: Cell };

/** Everyone (keys []) and then each group of the factor, each with its count of clients as published. */
function groups<Row extends { grp: string | null; grouped: number; clients: number; client_key: number }>(
  rows: Row[],
  factor: EquityFactor | null,
  scope: Scope,
  empty: Row,
): Group<Row>[] {
  const published = (keys: string[], row: Row, within: 'SMALL_TABLE' | null) => ({
    keys,
    row,
    clients: countCell(keys, perturbCount(scope.perturbation, row.clients, row.client_key), within),
  });
  const everyone = published([], rows.find((r) => r.grouped === 1) ?? empty, null);
  if (!factor) return [everyone];
  const byGroup = new Map(rows.filter((r) => r.grouped === 0).map((r) => [r.grp!, r]));
  const within = everyone.clients.suppressed ? 'SMALL_TABLE' : null;
  return [everyone, ...keysOf(factor, scope).map((key) => published([key], byGroup.get(key) ?? { ...empty, grp: key, grouped: 0 }, within))];
}

/**
 * The share of a group with a property: published only when the people with it and the people
 * without it both come to at least the threshold, perturbed, so that the share and the group's
 * count never give away a small count (a share of 0 or 1 included).
 */
function shareCell(scope: Scope, group: Group<unknown>, count: number, key: number): Cell {
  if (group.clients.suppressed) return groupCell(group.keys, null, group.clients);
  const of = group.clients.value!;
  const having = perturbCount(scope.perturbation, count, key);
  if (having === null || of - having < scope.perturbation.threshold) return cell(group.keys, null, 'SMALL_COUNT');
  return cell(group.keys, round(having / of, 3), null);
}

type OutcomeChangeValue = {
  instrument: Instrument;
  item: Ons4Item | null;
  keys: string[];
  clientsWithBoth: Cell;
  meanBaseline: Cell;
  meanFollowUp: Cell;
  meanChange: Cell;
  shareImproved: Cell;
  shareLonelyBefore: Cell | null;
  shareLonelyAfter: Cell | null;
};

/** Instruments with a score; ONS4 reports its four questions separately, never summed. */
const scoredInstruments: Instrument[] = ['UCLA_LONELINESS_3', 'SWEMWBS', 'COMMUNITY_BELONGING', 'SELF_RATED_HEALTH', 'SELF_RATED_MENTAL_HEALTH'];

type Ons4Item = 'LIFE_SATISFACTION' | 'WORTHWHILE' | 'HAPPINESS' | 'ANXIETY';
/** The ONS4 questions in the order of an assessment's items (agg_outcomes_sql names them the same). */
const ons4Items: Ons4Item[] = ['LIFE_SATISFACTION', 'WORTHWHILE', 'HAPPINESS', 'ANXIETY'];

const Ons4ItemEnum = describedEnum<Ons4Item>('Ons4Item', 'One question of ONS4 personal wellbeing, each answered 0–10 and reported on its own.', {
  LIFE_SATISFACTION: 'Overall, how satisfied are you with your life nowadays? Higher is better.',
  WORTHWHILE: 'Overall, to what extent do you feel that the things you do in your life are worthwhile? Higher is better.',
  HAPPINESS: 'Overall, how happy did you feel yesterday? Higher is better.',
  ANXIETY: 'Overall, how anxious did you feel yesterday? Lower is better.',
});

/** What the figures compare: an instrument's score, or one ONS4 question. */
const measures: { measure: string; instrument: Instrument; item: Ons4Item | null }[] = [
  ...scoredInstruments.map((instrument) => ({ measure: instrument, instrument, item: null })),
  ...ons4Items.map((item) => ({ measure: `ONS4_${item}`, instrument: 'ONS4' as const, item })),
];

type FollowUp = 'LATEST' | 'MONTH_3' | 'MONTH_6';
const FollowUpEnum = describedEnum<FollowUp>('FollowUp', 'Which follow-up an outcome is compared at.', {
  LATEST: 'Each client’s latest follow-up after the baseline, whatever its time point (3 months, 6 months or another).',
  MONTH_3: 'Each client’s 3-month follow-up (the latest, if recorded more than once).',
  MONTH_6: 'Each client’s 6-month follow-up (the latest, if recorded more than once).',
});

const OutcomeChangeRef = builder.objectRef<OutcomeChangeValue>('OutcomeChange').implement({
  authz: 'reached',
  description:
    'Baseline against follow-up on one instrument (or one ONS4 question) for one group: clients with both, at the follow-up chosen (by default each client’s latest after the baseline). SWEMWBS in metric score.',
  fields: (t) => ({
    instrument: t.expose('instrument', { type: InstrumentEnum, description: 'The instrument.' }),
    item: t.expose('item', { type: Ons4ItemEnum, nullable: true, description: 'ONS4 only: the question these figures are about (ONS4 is never summed).' }),
    keys: t.exposeStringList('keys', { description: 'The group: empty for everyone, else the value of the sociodemographic factor.' }),
    clientsWithBoth: t.expose('clientsWithBoth', { type: CellRef, description: 'Clients with a baseline and a follow-up score.' }),
    meanBaseline: t.expose('meanBaseline', { type: CellRef, description: 'Mean baseline score of those clients (two decimals).' }),
    meanFollowUp: t.expose('meanFollowUp', { type: CellRef, description: 'Mean follow-up score of those clients (two decimals).' }),
    meanChange: t.expose('meanChange', {
      type: CellRef,
      description: 'Mean of follow-up minus baseline (two decimals). Each mean is perturbed on its own, so this need not be their difference.',
    }),
    shareImproved: t.expose('shareImproved', {
      type: CellRef,
      description: 'Share of those clients who improved, 0 to 1: a lower UCLA-3 score or ONS4 anxiety, a higher score on the others.',
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
    authz: 'readAggregates',
    type: [OutcomeChangeRef],
    description:
      'Outcomes per scored instrument, then per ONS4 question, for clients prescribed to in the period: baseline and follow-up means and the change; everyone first, then each group of the factor when one is given (the equity lens).',
    args: {
      filter: t.arg({ type: AggregateFilterInput, required: true, description: 'Period and sites.' }),
      equity: t.arg({ type: EquityFactorEnum, required: false, description: 'Break each instrument down by this factor.' }),
      followUp: t.arg({ type: FollowUpEnum, required: false, defaultValue: 'LATEST', description: 'The follow-up compared with the baseline.' }),
    },
    resolve: async (_root, args, ctx) => {
      const scope = await scopeOf(ctx, args.filter);
      const factor = args.equity ?? null;
      const followUp = args.followUp === 'MONTH_3' || args.followUp === 'MONTH_6' ? args.followUp : null;
      const rows = await outcomeCounts(ctx.db, factor, followUp, scope);
      const p = scope.perturbation;
      return measures.flatMap(({ measure, instrument, item }) => {
        const empty = {
          ...{ measure, grp: null, grouped: 1, clients: 0, client_key: 0, sum_change: 0, max_change: 0 },
          ...{ sum_before: 0, max_before: 0, sum_after: 0, max_after: 0 },
          ...{ improved: 0, improved_key: 0, lonely_before: 0, lonely_before_key: 0, lonely_after: 0, lonely_after_key: 0 },
        };
        const ucla = instrument === 'UCLA_LONELINESS_3';
        return groups(
          rows.filter((r) => r.measure === measure),
          factor,
          scope,
          empty,
        ).map((group) => {
          const { keys, row, clients } = group;
          // Each sum moved by its own bits of the clients' cell key; the means from the moved sums.
          const mean = (sum: number, largest: number, salt: number) =>
            groupCell(keys, clients.suppressed ? null : round(perturbSum(p, sum, largest, row.client_key, salt) / clients.value!, 2), clients);
          return {
            instrument,
            item,
            keys,
            clientsWithBoth: clients,
            meanBaseline: mean(row.sum_before, row.max_before, 1),
            meanFollowUp: mean(row.sum_after, row.max_after, 2),
            meanChange: mean(row.sum_change, row.max_change, 0),
            shareImproved: shareCell(scope, group, row.improved, row.improved_key),
            shareLonelyBefore: ucla ? shareCell(scope, group, row.lonely_before, row.lonely_before_key) : null,
            shareLonelyAfter: ucla ? shareCell(scope, group, row.lonely_after, row.lonely_after_key) : null,
          };
        });
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
  authz: 'reached',
  description: 'Visits in the months before and after a prescription, over the prescriptions with both EMR extracts, for one group.',
  fields: (t) => ({
    keys: t.exposeStringList('keys', { description: 'The group: empty for everyone, else the value of the sociodemographic factor.' }),
    clients: t.expose('clients', { type: CellRef, description: 'Distinct clients with visits before and after.' }),
    primaryCareBefore: t.expose('primaryCareBefore', { type: CellRef, description: 'Primary-care visits before, in total.' }),
    primaryCareAfter: t.expose('primaryCareAfter', { type: CellRef, description: 'Primary-care visits after, in total.' }),
    primaryCarePercentChange: t.expose('primaryCarePercentChange', {
      type: CellRef,
      description: 'Change in primary-care visits, in percent (negative: fewer).',
    }),
    emergencyBefore: t.expose('emergencyBefore', { type: CellRef, description: 'Emergency visits before, in total.' }),
    emergencyAfter: t.expose('emergencyAfter', { type: CellRef, description: 'Emergency visits after, in total.' }),
    emergencyPercentChange: t.expose('emergencyPercentChange', { type: CellRef, description: 'Change in emergency visits, in percent (negative: fewer).' }),
  }),
});

builder.queryField('utilizationChange', (t) =>
  t.field({
    authz: 'readAggregates',
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
      const empty = {
        ...{ grp: null, grouped: 1, clients: 0, client_key: 0, visits_key: 0, primary_care_max: 0, emergency_max: 0 },
        ...{ primary_care_before: 0, primary_care_after: 0, emergency_before: 0, emergency_after: 0 },
      };
      const rows = await utilizationCounts(ctx.db, factor, scope);
      return groups(rows, factor, scope, empty).map(({ keys, row, clients }) => {
        // Each sum moved by its own bits of the prescriptions' cell key; the changes from the moved sums.
        const visits = (sum: number, largest: number, salt: number) =>
          Math.max(0, Math.round(perturbSum(scope.perturbation, sum, largest, row.visits_key, salt)));
        const primaryCare = [visits(row.primary_care_before, row.primary_care_max, 0), visits(row.primary_care_after, row.primary_care_max, 1)] as const;
        const emergency = [visits(row.emergency_before, row.emergency_max, 2), visits(row.emergency_after, row.emergency_max, 3)] as const;
        return {
          keys,
          clients,
          primaryCareBefore: groupCell(keys, primaryCare[0], clients),
          primaryCareAfter: groupCell(keys, primaryCare[1], clients),
          primaryCarePercentChange: groupCell(keys, percentChange(...primaryCare), clients),
          emergencyBefore: groupCell(keys, emergency[0], clients),
          emergencyAfter: groupCell(keys, emergency[1], clients),
          emergencyPercentChange: groupCell(keys, percentChange(...emergency), clients),
        };
      });
    },
  }),
);
