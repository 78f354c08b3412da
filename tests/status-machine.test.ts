// The referral state machine against the FHIR SDOH Clinical Care referral Task, written out here
// independently of the table in the code: every from × to pair, for each side.
import { describe, expect, it } from 'vitest';
import type { ReferralStatus } from '../src/generated/prisma/enums.js';
import { allowsOutcome, isClosed, requiresOutcome, sideSetting, staffSides, transitionProblem, type Side } from '../src/prescriptions/status-machine.js';

const statuses: ReferralStatus[] = [
  'DRAFT',
  'REQUESTED',
  'ACCEPTED',
  'REJECTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'ENTERED_IN_ERROR',
];

const allowed = new Set([
  'DRAFT→REQUESTED',
  'DRAFT→CANCELLED',
  'DRAFT→ENTERED_IN_ERROR',
  'REQUESTED→ACCEPTED',
  'REQUESTED→REJECTED',
  'REQUESTED→CANCELLED',
  'REQUESTED→ENTERED_IN_ERROR',
  'ACCEPTED→IN_PROGRESS',
  'ACCEPTED→ON_HOLD',
  'ACCEPTED→COMPLETED',
  'ACCEPTED→FAILED',
  'ACCEPTED→CANCELLED',
  'ACCEPTED→ENTERED_IN_ERROR',
  'IN_PROGRESS→ON_HOLD',
  'IN_PROGRESS→COMPLETED',
  'IN_PROGRESS→FAILED',
  'IN_PROGRESS→CANCELLED',
  'IN_PROGRESS→ENTERED_IN_ERROR',
  'ON_HOLD→IN_PROGRESS',
  'ON_HOLD→FAILED',
  'ON_HOLD→CANCELLED',
  'ON_HOLD→ENTERED_IN_ERROR',
  'REJECTED→ENTERED_IN_ERROR',
  'COMPLETED→ENTERED_IN_ERROR',
  'FAILED→ENTERED_IN_ERROR',
  'CANCELLED→ENTERED_IN_ERROR',
]);
const referring = new Set<ReferralStatus>(['DRAFT', 'REQUESTED', 'CANCELLED', 'ENTERED_IN_ERROR']);
const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

describe('referral status machine', () => {
  it('covers all 100 pairs', () => expect(pairs).toHaveLength(100));

  it.each(pairs)('%s → %s: allowed exactly as FHIR says, and only for the side that sets the target', (from, to) => {
    const own: Side = referring.has(to) ? 'REFERRING' : 'RECEIVING';
    const other: Side = own === 'REFERRING' ? 'RECEIVING' : 'REFERRING';
    if (allowed.has(`${from}→${to}`)) {
      expect(transitionProblem(from, to, [own])).toBeNull();
      expect(transitionProblem(from, to, ['REFERRING', 'RECEIVING'])).toBeNull();
      expect(transitionProblem(from, to, [other])).toMatch(new RegExp(`^${to} is set by the ${own === 'REFERRING' ? 'referring' : 'receiving'} side`));
    } else {
      for (const sides of [[own], [other], ['REFERRING', 'RECEIVING'], []] as Side[][]) {
        expect(transitionProblem(from, to, sides)).toMatch(new RegExp(`^A referral that is ${from} cannot become ${to}`));
      }
    }
    expect(transitionProblem(from, to, [])).not.toBeNull();
  });

  it('says which side sets each status', () => {
    for (const status of statuses) expect(sideSetting[status]).toBe(referring.has(status) ? 'REFERRING' : 'RECEIVING');
  });

  it('ends a referral with REJECTED, COMPLETED, FAILED, CANCELLED or ENTERED_IN_ERROR, and takes an outcome only with COMPLETED or FAILED', () => {
    expect(statuses.filter(isClosed)).toEqual(['REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR']);
    expect(statuses.filter(requiresOutcome)).toEqual(['COMPLETED', 'FAILED']);
    expect(statuses.filter(allowsOutcome)).toEqual(['REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED']);
  });

  it('has ENTERED_IN_ERROR final and DRAFT reachable from nowhere', () => {
    expect(statuses.filter((to) => transitionProblem('ENTERED_IN_ERROR', to, ['REFERRING', 'RECEIVING']) === null)).toEqual([]);
    expect(statuses.filter((from) => transitionProblem(from, 'DRAFT', ['REFERRING', 'RECEIVING']) === null)).toEqual([]);
  });

  it('maps roles to sides: prescribers refer, link workers receive, other roles neither', () => {
    expect(staffSides(['PRESCRIBER'])).toEqual(['REFERRING']);
    expect(staffSides(['LINK_WORKER'])).toEqual(['RECEIVING']);
    expect(staffSides(['PRESCRIBER', 'LINK_WORKER'])).toEqual(['REFERRING', 'RECEIVING']);
    expect(staffSides(['DATA_COORDINATOR', 'SITE_ADMIN', 'HEALTH_CHAMPION', 'PROGRAM_COORDINATOR', 'PRIVACY_OFFICER'])).toEqual([]);
  });
});
