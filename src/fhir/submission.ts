// A submitted ServiceRequest (its Patient contained, or beside it in a transaction Bundle) read as
// the input of GraphQL `submitReferral`: the facade submits through that mutation, so a FHIR
// submission meets the same checks, rules, idempotency and audit.
import { randomUUID } from 'node:crypto';
import { SupportLevel } from '../generated/prisma/enums.js';
import { badUserInput, type FieldProblem } from '../graphql/errors.js';
import { needsOf, systems, type CodeableConcept } from './codes.js';

type Resource = { resourceType?: unknown; id?: unknown; [key: string]: unknown };
type HumanName = { family?: string; given?: string[] };
type ContactPoint = { system?: string; value?: string };
type Reference = { reference?: string; identifier?: { system?: string; value?: string } };

export type SubmitReferralInput = {
  externalReference: string;
  site: string;
  client: {
    givenName: string;
    familyName: string;
    dateOfBirth?: string;
    phone?: string;
    email?: string;
    preferredLanguage?: string;
  };
  needs: string[];
  supportLevel?: SupportLevel;
  reason?: string;
};

const isObject = (value: unknown): value is Resource => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** The Patient a ServiceRequest's subject names: contained (`#id`), or a Bundle entry's fullUrl. */
function subjectOf(request: Resource, entries: Map<string, Resource>): Resource | null {
  const reference = (request.subject as Reference | undefined)?.reference;
  if (!reference) return null;
  if (reference.startsWith('#')) return list<Resource>(request.contained).find((r) => r.resourceType === 'Patient' && r.id === reference.slice(1)) ?? null;
  const found = entries.get(reference);
  return found?.resourceType === 'Patient' ? found : null;
}

/** The input of `submitReferral`, or BAD_USER_INPUT naming every problem at once. */
export function submissionOf(request: Resource, entries = new Map<string, Resource>()): SubmitReferralInput {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (request.resourceType !== 'ServiceRequest') problem('resourceType', 'must be ServiceRequest');
  const sites = list<Reference>(request.performer).filter((p) => p.identifier?.system === systems.site && p.identifier.value);
  if (sites.length !== 1) problem('performer', `name exactly one site as an identifier of system ${systems.site}`);
  const { needs, unknown } = needsOf([...list<CodeableConcept>(request.category), ...(isObject(request.code) ? [request.code as CodeableConcept] : [])]);
  if (unknown.length) problem('category', `codes that name no one need: ${unknown.join(', ')}`);
  if (needs.length === 0) problem('category', `name at least one need (system ${systems.need}, or an SDOHCC category)`);
  const patient = subjectOf(request, entries);
  if (!patient) problem('subject', 'must reference the Patient, contained (#id) or in the same transaction Bundle');
  const name = list<HumanName>(patient?.name)[0];
  if (patient && (!name?.family || !name.given?.[0])) problem('subject.name', 'needs a family and a given name');
  const telecom = list<ContactPoint>(patient?.telecom);
  const language = list<{ language?: CodeableConcept }>(patient?.communication)[0]?.language?.coding?.[0]?.code;
  const supportLevel = list<CodeableConcept>(request.orderDetail)
    .flatMap((c) => c.coding ?? [])
    .find((c) => c.system === systems.supportLevel)?.code;
  if (supportLevel && !(supportLevel in SupportLevel)) problem('orderDetail', `unknown support level ${supportLevel}`);
  const reason = list<{ text?: string }>(request.note)
    .map((n) => n.text)
    .filter(Boolean)
    .join('\n');
  if (problems.length) throw badUserInput(problems);
  // The partner's identifier is submitReferral's externalReference: a resubmission returns the same referral.
  // Without one, every POST is a new referral.
  const identifier = list<{ value?: string }>(request.identifier).find((i) => i.value)?.value;
  return {
    externalReference: identifier ?? `urn:uuid:${randomUUID()}`,
    site: sites[0]!.identifier!.value!,
    client: {
      givenName: name!.given![0]!,
      familyName: name!.family!,
      ...(typeof patient!.birthDate === 'string' ? { dateOfBirth: patient!.birthDate } : {}),
      ...(telecom.find((t) => t.system === 'phone')?.value ? { phone: telecom.find((t) => t.system === 'phone')!.value } : {}),
      ...(telecom.find((t) => t.system === 'email')?.value ? { email: telecom.find((t) => t.system === 'email')!.value } : {}),
      ...(language ? { preferredLanguage: language } : {}),
    },
    needs,
    ...(supportLevel ? { supportLevel: supportLevel as SupportLevel } : {}),
    ...(reason ? { reason } : {}),
  };
}

/**
 * A transaction Bundle's ServiceRequest and the resources it references by fullUrl. A Task in the
 * Bundle (the SDOHCC referral Task) must focus on that ServiceRequest; the facade makes the Task of
 * a referral itself (same id), so nothing of it is stored.
 */
export function transactionOf(bundle: Resource): { request: Resource; entries: Map<string, Resource>; taskFullUrl: string | null; requestFullUrl: string } {
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') throw badUserInput([{ field: 'type', message: 'must be a transaction Bundle' }]);
  const entries = new Map<string, Resource>();
  const posts = list<{ fullUrl?: string; resource?: Resource; request?: { method?: string; url?: string } }>(bundle.entry);
  for (const entry of posts) {
    if (entry.request?.method !== 'POST' || !isObject(entry.resource) || !entry.fullUrl) {
      throw badUserInput([{ field: 'entry', message: 'each entry must be a POST of a resource with a fullUrl' }]);
    }
    entries.set(entry.fullUrl, entry.resource);
  }
  const requests = posts.filter((e) => e.resource?.resourceType === 'ServiceRequest');
  const tasks = posts.filter((e) => e.resource?.resourceType === 'Task');
  const others = posts.filter((e) => !['ServiceRequest', 'Task', 'Patient'].includes(String(e.resource?.resourceType)));
  if (requests.length !== 1 || tasks.length > 1 || others.length) {
    throw badUserInput([{ field: 'entry', message: 'one ServiceRequest, its Patient and at most one Task' }]);
  }
  const request = requests[0]!;
  const taskEntry = tasks[0];
  if (taskEntry && (taskEntry.resource!.focus as Reference | undefined)?.reference !== request.fullUrl) {
    throw badUserInput([{ field: 'Task.focus', message: 'must reference the ServiceRequest of the Bundle' }]);
  }
  if (taskEntry && !['requested', undefined].includes(taskEntry.resource!.status as string | undefined)) {
    throw badUserInput([{ field: 'Task.status', message: 'a new referral’s Task is requested' }]);
  }
  return { request: request.resource!, entries, taskFullUrl: taskEntry?.fullUrl ?? null, requestFullUrl: request.fullUrl! };
}
