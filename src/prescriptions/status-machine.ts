// The closed-loop referral pathway in one place: which status may follow which, and which side of
// the referral may set each. It follows the referral Task of the HL7 FHIR SDOH Clinical Care guide
// (Gravity Project), whose statuses Ontario's eReferral networks also use.
import type { ReferralStatus, StaffRole } from '../generated/prisma/enums.js';

/** The referring side: the site's prescribers, and for a partner referral the referring partner. The receiving side: the site's link workers. */
export type Side = 'REFERRING' | 'RECEIVING';

export const sideSetting: Readonly<Record<ReferralStatus, Side>> = {
  DRAFT: 'REFERRING',
  REQUESTED: 'REFERRING',
  CANCELLED: 'REFERRING',
  ENTERED_IN_ERROR: 'REFERRING',
  ACCEPTED: 'RECEIVING',
  REJECTED: 'RECEIVING',
  IN_PROGRESS: 'RECEIVING',
  ON_HOLD: 'RECEIVING',
  COMPLETED: 'RECEIVING',
  FAILED: 'RECEIVING',
};

/** Allowed moves. DRAFT is only ever a starting status; ENTERED_IN_ERROR replaces deletion and is final. */
export const allowedMoves: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  DRAFT: ['REQUESTED', 'CANCELLED', 'ENTERED_IN_ERROR'],
  REQUESTED: ['ACCEPTED', 'REJECTED', 'CANCELLED', 'ENTERED_IN_ERROR'],
  ACCEPTED: ['IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
  IN_PROGRESS: ['ON_HOLD', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
  ON_HOLD: ['IN_PROGRESS', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
  REJECTED: ['ENTERED_IN_ERROR'],
  COMPLETED: ['ENTERED_IN_ERROR'],
  FAILED: ['ENTERED_IN_ERROR'],
  CANCELLED: ['ENTERED_IN_ERROR'],
  ENTERED_IN_ERROR: [],
};

const closed: ReadonlySet<ReferralStatus> = new Set(['REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR']);

/** A closed referral has ended: it gets closedAt, and takes no more steps, items or edits. */
export const isClosed = (status: ReferralStatus) => closed.has(status);

/** Ending with COMPLETED or FAILED must record how it turned out. */
export const requiresOutcome = (status: ReferralStatus) => status === 'COMPLETED' || status === 'FAILED';

/** A referral that ends (but was not entered in error) may say how: REJECTED as NOT_ELIGIBLE, say. */
export const allowsOutcome = (status: ReferralStatus) => isClosed(status) && status !== 'ENTERED_IN_ERROR';

const sideNames: Record<Side, string> = {
  REFERRING: 'the referring side (prescribers, or the referring partner)',
  RECEIVING: 'the receiving side (link workers)',
};

/** The sides a site staff member acts for, by role. */
export function staffSides(roles: readonly StaffRole[]): Side[] {
  return [...(roles.includes('PRESCRIBER') ? ['REFERRING' as const] : []), ...(roles.includes('LINK_WORKER') ? ['RECEIVING' as const] : [])];
}

/** Why `sides` may not move a referral from `from` to `to`; null when they may. */
export function transitionProblem(from: ReferralStatus, to: ReferralStatus, sides: readonly Side[]): string | null {
  if (!allowedMoves[from].includes(to)) {
    const next = allowedMoves[from];
    return `A referral that is ${from} cannot become ${to}; ${next.length ? `it may become ${next.join(', ')}` : 'it is final'}`;
  }
  const side = sideSetting[to];
  if (!sides.includes(side)) return `${to} is set by ${sideNames[side]}`;
  return null;
}
