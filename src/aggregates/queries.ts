// The aggregate SQL functions (aggregates and cell-keys migrations): one statement each, grouped
// rows only, every count with its cell key (a fraction in [0, 1)). They check the caller
// themselves; the API has already refused anyone they would refuse.
import type { RequestDb } from '../db/request-scope.js';
import type { DimensionName, EquityFactor, SupportDimensionName } from './dimensions.js';
import type { Scope } from './filter.js';

/** Counts come back as bigint. */
async function rowsOf<T>(query: Promise<Record<string, unknown>[]>): Promise<T[]> {
  return (await query).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T);
}

/** grouped: 0 a cell, 1 a margin of the first dimension, 2 of the second, 3 the total. */
export type PrescriptionCounts = {
  k1: string | null;
  k2: string | null;
  grouped: number;
  prescriptions: number;
  prescription_key: number;
  clients: number;
  client_key: number;
};

export const prescriptionCounts = (db: RequestDb, dims: DimensionName[], scope: Scope) =>
  rowsOf<PrescriptionCounts>(db.$queryRaw`
    SELECT * FROM agg_prescriptions(${dims}::text[], ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 a cell, 1 a margin of the first dimension, 2 of the second, 3 the total. */
export type SupportCounts = {
  k1: string | null;
  k2: string | null;
  grouped: number;
  connections: number;
  connection_key: number;
  clients: number;
  client_key: number;
};

export const supportCounts = (db: RequestDb, dims: SupportDimensionName[], scope: Scope) =>
  rowsOf<SupportCounts>(db.$queryRaw`
    SELECT * FROM agg_supports(${dims}::text[], ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one site, 1 all of them; recorded = counted + left out, unit by unit. */
export type CoverageCounts = { site: string | null; grouped: number } & Record<
  `${'recorded' | 'counted' | 'left_out'}_${'prescriptions' | 'prescription_key' | 'clients' | 'client_key'}`,
  number
>;

export const coverageCounts = (db: RequestDb, scope: Scope) =>
  rowsOf<CoverageCounts>(db.$queryRaw`
    SELECT * FROM agg_coverage(${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one site, 1 all of them. */
export type SummaryCounts = {
  site: string | null;
  grouped: number;
  prescriptions: number;
  prescription_key: number;
  clients: number;
  client_key: number;
  providers: number;
  provider_key: number;
  programs: number;
  program_key: number;
  health_champions: number;
  champion_key: number;
};

export const summaryCounts = (db: RequestDb, scope: Scope) =>
  rowsOf<SummaryCounts>(db.$queryRaw`
    SELECT * FROM agg_summary(${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one group of the factor, 1 everyone. */
export type OutcomeCounts = {
  /** An instrument with a score, or one ONS4 question (ONS4_LIFE_SATISFACTION, …). */
  measure: string;
  grp: string | null;
  grouped: number;
  clients: number;
  client_key: number;
  sum_change: number;
  max_change: number;
  sum_before: number;
  max_before: number;
  sum_after: number;
  max_after: number;
  improved: number;
  improved_key: number;
  lonely_before: number;
  lonely_before_key: number;
  lonely_after: number;
  lonely_after_key: number;
};

/** followUp: MONTH_3 or MONTH_6, or null for each client's latest follow-up of any time point. */
export const outcomeCounts = (db: RequestDb, factor: EquityFactor | null, followUp: 'MONTH_3' | 'MONTH_6' | null, scope: Scope) =>
  rowsOf<OutcomeCounts>(db.$queryRaw`
    SELECT * FROM agg_outcomes(${factor}::text, ${followUp}::text, ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one group of the factor, 1 everyone. */
export type UtilizationCounts = {
  grp: string | null;
  grouped: number;
  clients: number;
  client_key: number;
  visits_key: number;
  primary_care_before: number;
  primary_care_after: number;
  emergency_before: number;
  emergency_after: number;
  primary_care_max: number;
  emergency_max: number;
};

export const utilizationCounts = (db: RequestDb, factor: EquityFactor | null, scope: Scope) =>
  rowsOf<UtilizationCounts>(db.$queryRaw`
    SELECT * FROM agg_utilization(${factor}::text, ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);
