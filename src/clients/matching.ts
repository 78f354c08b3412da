// Who a partner-submitted person is at the site (README, "Client matching"): exact rules, never a
// fuzzy guess. The database compares (SQL partner_client_candidates, names through
// client_name_key); this file decides from what it found.
import type { RequestDb } from '../db/request-scope.js';

/** A health card number as stored and compared: letters and digits only, upper case. */
export const normalizeHealthCard = (value: string) => value.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();

export type PersonToMatch = { givenName: string; familyName: string; dateOfBirth?: Date | null; healthCardNumber?: string | null };

type Candidate = { id: string; sameNameAndBirth: boolean; cardAgrees: boolean | null };

/** MATCHED: attach to that client. AMBIGUOUS: a new client flagged as possibly one of these. NONE: a new client. */
export type Match = { kind: 'MATCHED'; clientId: string } | { kind: 'AMBIGUOUS'; candidateIds: string[] } | { kind: 'NONE' };

export function decide(candidates: readonly Candidate[]): Match {
  const [only] = candidates;
  if (!only) return { kind: 'NONE' };
  if (candidates.length === 1 && only.sameNameAndBirth && only.cardAgrees !== false) return { kind: 'MATCHED', clientId: only.id };
  return { kind: 'AMBIGUOUS', candidateIds: candidates.map((c) => c.id) };
}

/** Matches a person against the clients of `tenantId`, as a partner with referrals:create there. */
export async function matchClient(db: RequestDb, tenantId: string, person: PersonToMatch): Promise<Match & { examined: string[] }> {
  const candidates = await db.$queryRaw<Candidate[]>`
    SELECT * FROM partner_client_candidates(${tenantId}, ${person.givenName}, ${person.familyName},
                                            ${person.dateOfBirth?.toISOString().slice(0, 10) ?? null}::date, ${person.healthCardNumber ?? null})`;
  return { ...decide(candidates), examined: candidates.map((c) => c.id) };
}
