// The aggregate SQL functions (aggregates migration): one statement each, grouped rows only.
// They check the caller themselves; the API has already refused anyone they would refuse.
import type { RequestDb } from '../db/request-scope.js';
import type { DimensionName, EquityFactor } from './dimensions.js';
import type { Scope } from './filter.js';

/** Counts come back as bigint. */
async function rowsOf<T>(query: Promise<Record<string, unknown>[]>): Promise<T[]> {
  return (await query).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T);
}

/** grouped: 0 a cell, 1 a margin of the first dimension, 2 of the second, 3 the total. */
export type PrescriptionCounts = { k1: string | null; k2: string | null; grouped: number; prescriptions: number; clients: number };

export const prescriptionCounts = (db: RequestDb, dims: DimensionName[], scope: Scope) =>
  rowsOf<PrescriptionCounts>(db.$queryRaw`
    SELECT * FROM agg_prescriptions(${dims}::text[], ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one site, 1 all of them. */
export type SummaryCounts = {
  site: string | null;
  grouped: number;
  prescriptions: number;
  clients: number;
  providers: number;
  programs: number;
  health_champions: number;
};

export const summaryCounts = (db: RequestDb, scope: Scope) =>
  rowsOf<SummaryCounts>(db.$queryRaw`
    SELECT * FROM agg_summary(${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one group of the factor, 1 everyone. */
export type OutcomeCounts = {
  instrument: string;
  grp: string | null;
  grouped: number;
  clients: number;
  mean_change: number | null;
  improved: number;
  lonely_before: number;
  lonely_after: number;
};

export const outcomeCounts = (db: RequestDb, factor: EquityFactor | null, scope: Scope) =>
  rowsOf<OutcomeCounts>(db.$queryRaw`
    SELECT * FROM agg_outcomes(${factor}::text, ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);

/** grouped: 0 one group of the factor, 1 everyone. */
export type UtilizationCounts = {
  grp: string | null;
  grouped: number;
  clients: number;
  primary_care_before: number;
  primary_care_after: number;
  emergency_before: number;
  emergency_after: number;
};

export const utilizationCounts = (db: RequestDb, factor: EquityFactor | null, scope: Scope) =>
  rowsOf<UtilizationCounts>(db.$queryRaw`
    SELECT * FROM agg_utilization(${factor}::text, ${scope.from}::date, ${scope.to}::date, ${scope.sites}::text[])`);
