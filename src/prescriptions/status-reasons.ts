// Why a referral was declined, cancelled or closed without a connection: a small code system of our
// own, shared by GraphQL (SocialPrescription.statusReason, PartnerReferral.statusReason) and the
// FHIR facade (Task.statusReason). Stored on the referral (and its history event) as the Prisma enum
// StatusReasonCode; FHIR carries the hyphenated code under `statusReasonSystem`.
import type { ReferralOutcome, ReferralStatus, StatusReasonCode } from '../generated/prisma/enums.js';

/** The code system's canonical URL (Coding.system). */
export const statusReasonSystem = 'https://rx-community.example/fhir/CodeSystem/referral-status-reason';

export type StatusReasonConcept = {
  /** The code as FHIR carries it (Coding.code). */
  fhirCode: string;
  /** Coding.display, and the GraphQL display. */
  display: string;
  /** What the code means, for the README and the GraphQL enum's descriptions. */
  definition: string;
};

export const statusReasons: Readonly<Record<StatusReasonCode, StatusReasonConcept>> = {
  NOT_ELIGIBLE: { fhirCode: 'not-eligible', display: 'Not eligible', definition: 'The client does not meet the service’s criteria (catchment, age, need).' },
  CLIENT_DECLINED: { fhirCode: 'client-declined', display: 'Client declined', definition: 'The client declined the referral or is no longer interested.' },
  UNABLE_TO_CONTACT: {
    fhirCode: 'unable-to-contact',
    display: 'Unable to contact',
    definition: 'The client could not be reached after the attempts the site makes.',
  },
  CAPACITY: { fhirCode: 'capacity', display: 'No capacity', definition: 'The site or program has no capacity to take the referral now.' },
  REFERRED_ELSEWHERE: {
    fhirCode: 'referred-elsewhere',
    display: 'Referred elsewhere',
    definition: 'Another service is better placed; the client was referred there.',
  },
  DUPLICATE: { fhirCode: 'duplicate', display: 'Duplicate referral', definition: 'The same person was already referred for the same need.' },
  OTHER: { fhirCode: 'other', display: 'Other', definition: 'Another reason; the free-text reason says which.' },
};

export const statusReasonCodes = Object.keys(statusReasons) as StatusReasonCode[];

/** The statuses that end a referral without a connection: each must say why, with a code. */
const needsReasonCode: ReadonlySet<ReferralStatus> = new Set(['REJECTED', 'CANCELLED', 'FAILED']);
export const requiresReasonCode = (status: ReferralStatus) => needsReasonCode.has(status);

const byOutcome: Readonly<Record<ReferralOutcome, StatusReasonCode>> = {
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  COULD_NOT_CONTACT: 'UNABLE_TO_CONTACT',
  NO_CAPACITY: 'CAPACITY',
  NO_LONGER_INTERESTED: 'CLIENT_DECLINED',
  REFERRED_ELSEWHERE: 'REFERRED_ELSEWHERE',
  GOT_HELP: 'OTHER',
};

/** The reason code an outcome implies (OTHER without one), for records made before reasons were coded and for the demo data. */
export const reasonCodeForOutcome = (outcome: ReferralOutcome | null): StatusReasonCode => (outcome ? byOutcome[outcome] : 'OTHER');

/** A stored code as a FHIR Coding. */
export const statusReasonCoding = (code: StatusReasonCode) => ({
  system: statusReasonSystem,
  code: statusReasons[code].fhirCode,
  display: statusReasons[code].display,
});

/** The stored code of a FHIR Coding's code, or undefined when the system does not define it. */
export const statusReasonFromFhir = (fhirCode: string): StatusReasonCode | undefined =>
  statusReasonCodes.find((code) => statusReasons[code].fhirCode === fhirCode);
