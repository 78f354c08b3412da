// Which fields are personal health information is declared next to each field, as a GraphQL
// field extension: `extensions: phi('CONTACT')` or `extensions: nonIdentifying`. A type that
// holds a client's record says whose record it is with `extensions: clientRecord(parent => …)`.
// The audit plugin (plugin.ts) logs every resolved PHI field, and withholds lock-boxed ones;
// tests/phi-marking.test.ts fails when a field of a client-record type is left unmarked.
import type { RecordCategory } from '../generated/prisma/enums.js';

/**
 * The kinds of health information a field can carry; the lockable ones match RecordCategory.
 * ACCESS_LOG: the audit trail of a client's record itself, as the privacy officer reads it.
 */
export type PhiCategory = RecordCategory | 'IDENTITY' | 'REFERRAL' | 'CONSENT' | 'ACCESS_LOG';

export const lockableCategories: readonly PhiCategory[] = ['CONTACT', 'SOCIODEMOGRAPHICS', 'NOTES', 'ASSESSMENTS', 'UTILIZATION'];

/** Whose record an object is part of. A prescription's parts may name only the prescription. */
/** Whose record: a client's, or a prescription's (its client found at flush). A client subject may name the prescription it was read through. */
export type RecordSubject = { tenantId: string; clientId: string; prescriptionId?: string } | { tenantId: string; prescriptionId: string };

/**
 * A PHI field. `subjectOf` names whose record it is when the field's type is not itself a client
 * record (for example a Health Champion's link to the client they are); null: nobody's.
 */
export const phi = <T>(category: PhiCategory, subjectOf?: (parent: T) => RecordSubject | null) =>
  subjectOf ? { phi: category, phiSubject: subjectOf } : { phi: category };
export const nonIdentifying = { nonIdentifying: true } as const;
export const clientRecord = <T>(subjectOf: (parent: T) => RecordSubject) => ({ clientRecord: subjectOf });

/**
 * Mutations that change health information declare the category they write, or, when that depends
 * on what the caller sent, a function of the arguments naming the categories written.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each mutation types its own arguments
export type WrittenCategories = PhiCategory | ((args: any) => PhiCategory[]);
export const phiWrite = (written: WrittenCategories) => ({ phiWrite: written });
