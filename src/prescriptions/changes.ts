// How every change to a social prescription is written: only if nobody changed it since it was
// read (optimistic concurrency on `version`), and recorded as immutable history events.
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralOutcome, ReferralStatus, StatusReasonCode } from '../generated/prisma/enums.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { RequestDb } from '../db/request-scope.js';
import { conflict, invalidTransition, notFound } from '../graphql/errors.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import { isClosed } from './status-machine.js';

export type CurrentPrescription = {
  id: string;
  tenantId: string;
  clientId: string;
  status: ReferralStatus;
  version: number;
  closedAt: Date | null;
  goals: string[];
  linkWorkerId: string | null;
};

const currentFields = { id: true, tenantId: true, clientId: true, status: true, version: true, closedAt: true, goals: true, linkWorkerId: true } as const;

/** The prescription as it is now; NOT_FOUND when it does not exist or is not the caller's to see. */
export async function findPrescription(db: RequestDb, where: Prisma.SocialPrescriptionWhereInput): Promise<CurrentPrescription> {
  const found = await db.socialPrescription.findFirst({ where, select: currentFields });
  if (!found) throw notFound('Social prescription');
  return found;
}

/** CONFLICT when the caller's copy is stale. */
export function checkVersion(current: CurrentPrescription, expectedVersion: number | null | undefined) {
  if (expectedVersion != null && expectedVersion !== current.version) {
    throw conflict(`The social prescription is at version ${current.version}, not ${expectedVersion}: reload it and try again`);
  }
}

/** Steps, items and edits belong to an open referral. */
export function checkOpen(current: CurrentPrescription) {
  if (isClosed(current.status)) throw invalidTransition(`The referral is ${current.status}: a closed referral takes no more changes`);
}

/**
 * Writes `data` and bumps the version, on the condition that the version is still the one read:
 * of two concurrent writers only one matches the row, the other gets CONFLICT.
 */
export async function saveIfUnchanged(db: RequestDb, current: CurrentPrescription, data: Prisma.SocialPrescriptionUncheckedUpdateManyInput) {
  const { count } = await db.socialPrescription.updateMany({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
  if (count !== 1) throw conflict('The social prescription changed while you were saving: reload it and try again');
}

type EventFields = Omit<Prisma.PrescriptionEventCreateManyInput, 'tenantId' | 'prescriptionId' | 'actorSubject' | 'actorKind' | 'actorStaffId'>;

/** Appends to the prescription's history as the caller. Events are only ever added. */
export async function appendEvents(ctx: GraphQLContext, prescription: Pick<CurrentPrescription, 'id' | 'tenantId'>, events: EventFields[]) {
  const principal = ctx.principal!;
  const staff = await findCallerStaffRecord(ctx);
  // One millisecond apart, so entries written together keep their order in the history.
  const now = Date.now();
  await ctx.db.prescriptionEvent.createMany({
    data: events.map((event, index) => ({
      ...event,
      occurredAt: new Date(now + index),
      tenantId: prescription.tenantId,
      prescriptionId: prescription.id,
      actorSubject: principal.subject,
      actorKind: principal.kind,
      actorStaffId: staff?.id ?? null,
    })),
  });
}

/**
 * Writes an allowed move: status, reason (coded and free text, both of the new status: a move
 * without one clears the last), outcome, closedAt once it ends, and the history entry. Returns closedAt.
 */
export async function changeStatus(
  ctx: GraphQLContext,
  current: CurrentPrescription,
  to: ReferralStatus,
  details: { outcome?: ReferralOutcome | null; reasonCode?: StatusReasonCode | null; reason: string | null; note: string | null },
) {
  const closedAt = current.closedAt ?? (isClosed(to) ? new Date() : null);
  await saveIfUnchanged(ctx.db, current, {
    status: to,
    statusReason: details.reason,
    statusReasonCode: details.reasonCode ?? null,
    closedAt,
    ...(details.outcome ? { outcome: details.outcome } : {}),
  });
  await appendEvents(ctx, current, [
    {
      kind: 'STATUS_CHANGED',
      fromStatus: current.status,
      toStatus: to,
      outcome: details.outcome ?? null,
      statusReasonCode: details.reasonCode ?? null,
      note: [details.reason, details.note].filter(Boolean).join('\n') || null,
    },
  ]);
  return closedAt;
}
