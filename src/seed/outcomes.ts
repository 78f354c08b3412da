// Evaluation data of one client: outcome instruments at baseline and follow-ups, and
// primary-care / emergency visits in the six months before and after a completed prescription.
// Only for clients whose evaluation consent was in force at the time.
import type { Prisma } from '../generated/prisma/client.js';
import type { TimePoint } from '../generated/prisma/enums.js';
import { idFor, PILOT_END, type SiteContext, type SiteStaff } from './context.js';
import { instrumentNames } from '../evaluation/instruments.js';
import { answerInstrument, baselineLevel, clampLevel, improvement } from './instruments.js';
import type { ClientDraft } from './people.js';
import type { PrescriptionSummary } from './prescriptions.js';
import { addDays, day, minDate, officeHours, startOfDay, type Rng } from './random.js';

/** Later than this, the six months after a referral end after the pilot. */
const LAST_UTILIZATION_REFERRAL = day('2019-06-15');
/** Share of visits that remain after a prescription (plus an occasional extra visit): about 28% fewer. */
const PRIMARY_CARE_KEPT = 0.7;
const EMERGENCY_KEPT = 0.74;

export function outcomeRows(
  ctx: SiteContext,
  draft: ClientDraft,
  summaries: PrescriptionSummary[],
  evaluationUntil: Date | null,
  staff: SiteStaff,
  rng: Rng,
): { assessments: Prisma.OutcomeAssessmentCreateManyInput[]; utilization: Prisma.UtilizationRecordCreateManyInput[] } {
  const assessments: Prisma.OutcomeAssessmentCreateManyInput[] = [];
  const utilization: Prisma.UtilizationRecordCreateManyInput[] = [];
  if (!evaluationUntil) return { assessments, utilization };
  const level = baselineLevel(rng);
  const eases = improvement(rng);
  const enteredBy = () => rng.pick([...staff.byRole.DATA_COORDINATOR, draft.linkWorker]);
  const allowed = (date: Date) => date <= PILOT_END && date < evaluationUntil;

  const engaged = summaries
    .filter((s): s is PrescriptionSummary & { engagedAt: Date } => s.engagedAt !== null)
    .sort((a, b) => a.engagedAt.getTime() - b.engagedAt.getTime())[0];
  if (engaged && rng.chance(0.9)) {
    const baseline = addDays(startOfDay(engaged.engagedAt), rng.int(0, 7));
    const points: { timePoint: TimePoint; label: string | null; on: Date; level: number }[] = [];
    if (allowed(baseline)) points.push({ timePoint: 'BASELINE', label: null, on: baseline, level });
    const month3 = addDays(baseline, 91 + rng.int(-7, 10));
    if (points.length > 0 && allowed(month3) && rng.chance(0.85)) {
      points.push({ timePoint: 'MONTH_3', label: null, on: month3, level: clampLevel(level - 0.65 * eases + rng.normal(0, 0.04)) });
    }
    const month6 = addDays(baseline, 182 + rng.int(-7, 10));
    if (points.length > 1 && allowed(month6) && rng.chance(0.6)) {
      points.push({ timePoint: 'MONTH_6', label: null, on: month6, level: clampLevel(level - eases + rng.normal(0, 0.04)) });
    }
    if (engaged.status === 'COMPLETED' && engaged.closedAt && points.length > 0 && rng.chance(0.12)) {
      const end = startOfDay(engaged.closedAt);
      if (allowed(end) && end > baseline) {
        points.push({ timePoint: 'CUSTOM', label: draft.french ? 'Fin du programme' : 'Program end', on: end, level: clampLevel(level - 0.8 * eases) });
      }
    }
    for (const point of points) {
      const who = enteredBy();
      const createdAt = minDate(officeHours(rng, addDays(point.on, rng.int(0, 3))), addDays(PILOT_END, 0.9));
      for (const instrument of instrumentNames) {
        const { items, score, metricScore } = answerInstrument(rng, instrument, point.level);
        assessments.push({
          id: idFor(ctx.seed, 'assessment', ctx.tenant.id, draft.index + 1, point.timePoint, point.on.toISOString().slice(0, 10), instrument),
          tenantId: ctx.tenant.id,
          clientId: draft.id,
          prescriptionId: engaged.id,
          instrument,
          timePoint: point.timePoint,
          timePointLabel: point.label,
          items,
          score,
          metricScore,
          assessedAt: point.on,
          enteredById: who.id,
          createdAt,
        });
      }
    }
  }

  const completed = summaries.find((s) => s.status === 'COMPLETED' && s.referredAt <= LAST_UTILIZATION_REFERRAL);
  if (completed && rng.chance(0.75)) {
    const extractedAt = officeHours(rng, addDays(startOfDay(completed.referredAt), 190 + rng.int(0, 5)));
    if (extractedAt <= PILOT_END && extractedAt < evaluationUntil) {
      const primaryBefore = poisson(rng, 3 + 6 * level);
      const emergencyBefore = poisson(rng, 0.3 + 1.6 * level);
      const primaryAfter = thin(rng, primaryBefore, PRIMARY_CARE_KEPT) + (rng.chance(0.12) ? 1 : 0);
      const emergencyAfter = thin(rng, emergencyBefore, EMERGENCY_KEPT) + (rng.chance(0.03) ? 1 : 0);
      for (const [period, primaryCareVisits, emergencyVisits] of [
        ['BEFORE', primaryBefore, emergencyBefore],
        ['AFTER', primaryAfter, emergencyAfter],
      ] as const) {
        utilization.push({
          id: idFor(ctx.seed, 'utilization', ctx.tenant.id, draft.index + 1, period),
          tenantId: ctx.tenant.id,
          clientId: draft.id,
          prescriptionId: completed.id,
          period,
          months: 6,
          primaryCareVisits,
          emergencyVisits,
          extractedAt,
        });
      }
    }
  }
  return { assessments, utilization };
}

/** Poisson draw (Knuth), for visit counts. */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let product = rng.float();
  let count = 0;
  while (product > limit) {
    count++;
    product *= rng.float();
  }
  return count;
}

/** Keeps each of `count` visits with probability `kept`. */
function thin(rng: Rng, count: number, kept: number): number {
  let remaining = 0;
  for (let i = 0; i < count; i++) if (rng.chance(kept)) remaining++;
  return remaining;
}
