// The vocabularies the FHIR facade speaks: the referral's needs as SDOH categories of the HL7 SDOH
// Clinical Care guide (Gravity) where one fits, the referral status as FHIR Task and ServiceRequest
// statuses, and the project's own code systems (URNs: nothing to resolve, nothing to squat).
import type { Need, ReferralOutcome, ReferralStatus } from '../generated/prisma/enums.js';
import type { SupportKind } from '../prescriptions/partner-connections.js';

export const systems = {
  /** SDOHCC ValueSet SDOH Category draws its codes from here. */
  sdohcc: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  need: 'urn:rx-community:need',
  supportLevel: 'urn:rx-community:support-level',
  outcome: 'urn:rx-community:referral-outcome',
  site: 'urn:rx-community:site',
  partner: 'urn:rx-community:partner',
  errorCode: 'urn:rx-community:error-code',
  /** What a resource holds back: CLIENT_DETAILS (no consent), CONTACT, SOCIODEMOGRAPHICS (lock-box). */
  withheld: 'urn:rx-community:withheld',
  language: 'urn:ietf:bcp:47',
  /** What kind of support a client was connected to (SupportKind). */
  supportKind: 'urn:rx-community:support-kind',
  /** Task.output's extension: the status of the connection (ENROLLED, ATTENDED; PrescriptionItemStatus). */
  itemStatusExtension: 'urn:rx-community:fhir:item-status',
  /** v3 ObservationValue: REDACTED marks a resource some of whose data is withheld. */
  security: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
} as const;

export const profiles = {
  serviceRequest: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest',
  task: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement',
} as const;

/** The pilot's needs mapped to SDOHCC SDOH categories; a need with no close category is "unspecified". */
const sdohCategory: Partial<Record<Need, [code: string, display: string]>> = {
  FOOD: ['food-insecurity', 'Food Insecurity'],
  HOUSING: ['housing-instability', 'Housing Instability'],
  INCOME: ['financial-insecurity', 'Financial Insecurity'],
  TRANSPORTATION: ['transportation-insecurity', 'Transportation Insecurity'],
  SOCIAL_ISOLATION: ['social-connection', 'Social Connection'],
  MENTAL_HEALTH: ['stress', 'Stress'],
  EMPLOYMENT: ['employment-status', 'Employment Status'],
  LEARNING: ['educational-attainment', 'Educational Attainment'],
  DIGITAL_LITERACY: ['digital-literacy', 'Digital Literacy'],
};
const unspecified: [string, string] = ['sdoh-category-unspecified', 'SDOH Category Unspecified'];

const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');

type Coding = { system: string; code: string; display?: string };
export type CodeableConcept = { coding?: Coding[]; text?: string };

/** One category per need: the SDOHCC category and the pilot's own code for it. */
export function needCategory(need: Need): CodeableConcept {
  const [code, display] = sdohCategory[need] ?? unspecified;
  return {
    coding: [
      { system: systems.sdohcc, code, display },
      { system: systems.need, code: need, display: words(need) },
    ],
    text: words(need),
  };
}

/** The needs a submitted category or code names: the pilot's codes directly, SDOHCC categories where one need maps to them. */
export function needsOf(concepts: readonly CodeableConcept[]): { needs: Need[]; unknown: string[] } {
  const needs = new Set<Need>();
  const unknown: string[] = [];
  for (const coding of concepts.flatMap((c) => c.coding ?? [])) {
    if (coding.system === systems.need && coding.code) needs.add(coding.code as Need);
    else if (coding.system === systems.sdohcc) {
      const matches = (Object.entries(sdohCategory) as [Need, [string, string]][]).filter(([, [code]]) => code === coding.code);
      if (matches.length === 1) needs.add(matches[0]![0]);
      else unknown.push(`${coding.system}|${coding.code}`);
    }
  }
  return { needs: [...needs], unknown };
}

/** FHIR Task.status for each referral status (the pathway already uses the SDOHCC Task statuses). */
export const taskStatus: Record<ReferralStatus, string> = {
  DRAFT: 'draft',
  REQUESTED: 'requested',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  IN_PROGRESS: 'in-progress',
  ON_HOLD: 'on-hold',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  ENTERED_IN_ERROR: 'entered-in-error',
};

/** FHIR ServiceRequest.status: the order is active while the link worker may still act on it. */
export const serviceRequestStatus: Record<ReferralStatus, string> = {
  DRAFT: 'draft',
  REQUESTED: 'active',
  ACCEPTED: 'active',
  IN_PROGRESS: 'active',
  ON_HOLD: 'on-hold',
  COMPLETED: 'completed',
  REJECTED: 'revoked',
  FAILED: 'revoked',
  CANCELLED: 'revoked',
  ENTERED_IN_ERROR: 'entered-in-error',
};

/** The referral statuses a search's status codes stand for (codes of the resource searched). */
export function statusesFor(table: Record<ReferralStatus, string>, codes: readonly string[]): ReferralStatus[] {
  return (Object.entries(table) as [ReferralStatus, string][]).filter(([, code]) => codes.includes(code)).map(([status]) => status);
}

export function outcomeConcept(outcome: ReferralOutcome): CodeableConcept {
  return { coding: [{ system: systems.outcome, code: outcome, display: words(outcome) }], text: words(outcome) };
}

const supportKindWords: Record<SupportKind, string> = {
  PROGRAM: 'Program',
  PARTNER_PROGRAM: 'Partner program',
  HEALTH_CHAMPION_LED: 'Health Champion-led program',
  ASSET: 'Community asset',
};

export function supportKindConcept(kind: SupportKind): CodeableConcept {
  return { coding: [{ system: systems.supportKind, code: kind, display: supportKindWords[kind] }], text: supportKindWords[kind] };
}
