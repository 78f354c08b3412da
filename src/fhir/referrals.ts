// A partner's referrals as FHIR resources: the ServiceRequest (the referral), the SDOHCC referral
// management Task (its status) and the Patient (only the consented minimum). Read in the request's
// transaction as the partner, with the same filter as `partnerReferrals` and the same row-level
// security; what a resource carries of the client's record is audited like the GraphQL fields.
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { principalFor } from '../auth/rules.js';
import type { GraphQLContext } from '../graphql/context.js';
import { partnerReferralClient } from '../privacy/partner-client.js';
import { partnerReferralConnections, type ConnectedSupport } from '../prescriptions/partner-connections.js';
import { statusReasonCoding } from '../prescriptions/status-reasons.js';
import { needCategory, outcomeConcept, profiles, serviceRequestStatus, supportKindConcept, systems, taskStatus } from './codes.js';

const referralFields = {
  id: true,
  tenantId: true,
  clientId: true,
  needs: true,
  status: true,
  outcome: true,
  statusReasonCode: true,
  externalReference: true,
  referredAt: true,
  closedAt: true,
  updatedAt: true,
  referringPartnerId: true,
  tenant: { select: { id: true, name: true } },
  referringPartner: { select: { id: true, name: true } },
} satisfies Prisma.SocialPrescriptionSelect;

export type ReferralRow = Prisma.SocialPrescriptionGetPayload<{ select: typeof referralFields }>;

export type ReferralSearch = {
  statuses?: ReferralStatus[];
  /** The partner's own identifier of the referral (submitReferral's externalReference). */
  identifier?: string;
  /** Each a bound on the last change; all must hold. */
  updated?: Prisma.DateTimeFilter[];
  count: number;
  offset: number;
};

/** The caller's own referrals, as `partnerReferrals` finds them (row-level security decides the rest). */
const ownReferrals = (ctx: GraphQLContext): Prisma.SocialPrescriptionWhereInput => ({
  source: 'PARTNER',
  referringPartnerId: principalFor(ctx, 'readOwnReferrals').partnerId,
});

/** One referral of the caller's, or null: another partner's, another site's or an unknown id all read as nothing. */
export async function findReferral(ctx: GraphQLContext, id: string): Promise<ReferralRow | null> {
  const row = await ctx.db.socialPrescription.findFirst({ where: { ...ownReferrals(ctx), id }, select: referralFields });
  if (row) ctx.privacy.record('READ', { tenantId: row.tenantId, clientId: row.clientId }, 'REFERRAL');
  return row;
}

/** A page of the caller's referrals, least recently changed first, and how many match in all. */
export async function searchReferrals(ctx: GraphQLContext, search: ReferralSearch): Promise<{ rows: ReferralRow[]; total: number }> {
  const where: Prisma.SocialPrescriptionWhereInput = {
    ...ownReferrals(ctx),
    ...(search.statuses ? { status: { in: search.statuses } } : {}),
    ...(search.identifier ? { externalReference: search.identifier } : {}),
    ...(search.updated?.length ? { AND: search.updated.map((updatedAt) => ({ updatedAt })) } : {}),
  };
  const [rows, total] = await Promise.all([
    ctx.db.socialPrescription.findMany({
      where,
      select: referralFields,
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: search.count,
      skip: search.offset,
    }),
    ctx.db.socialPrescription.count({ where }),
  ]);
  for (const row of rows) ctx.privacy.record('READ', { tenantId: row.tenantId, clientId: row.clientId }, 'REFERRAL');
  return { rows, total };
}

const site = (row: ReferralRow) => ({ identifier: { system: systems.site, value: row.tenant.id }, display: row.tenant.name });
const partner = (row: ReferralRow) =>
  row.referringPartner ? { identifier: { system: systems.partner, value: row.referringPartner.id }, display: row.referringPartner.name } : undefined;
const meta = (row: ReferralRow, profile?: string) => ({ lastUpdated: row.updatedAt.toISOString(), ...(profile ? { profile: [profile] } : {}) });

/** The identifier the partner submitted under (its value; the system is not kept). */
const partnerIdentifier = (row: ReferralRow) => (row.externalReference ? { identifier: [{ value: row.externalReference }] } : {});

export function serviceRequest(row: ReferralRow) {
  return {
    resourceType: 'ServiceRequest',
    id: row.id,
    meta: meta(row, profiles.serviceRequest),
    ...partnerIdentifier(row),
    status: serviceRequestStatus[row.status],
    intent: 'order',
    category: row.needs.map(needCategory),
    code: { text: 'Social prescribing: referral to a link worker' },
    subject: { reference: `Patient/${row.id}` },
    authoredOn: row.referredAt.toISOString(),
    requester: partner(row),
    performer: [site(row)],
  };
}

/**
 * The referral's SDOHCC Task. `output`: what the client was connected to (partner_referral_connections,
 * as PartnerReferral.connectedTo gives it), each a `resulting-activity` naming a contained
 * HealthcareService (name, kind as its type, support categories as its categories), the item's status
 * as an extension.
 */
export function task(row: ReferralRow, connectedTo: readonly ConnectedSupport[] = []) {
  const services = connectedTo.map((support, i) => ({
    resourceType: 'HealthcareService',
    id: `support-${i + 1}`,
    name: support.name,
    type: [supportKindConcept(support.kind)],
    ...(support.categories.length ? { category: support.categories.map(needCategory) } : {}),
  }));
  return {
    resourceType: 'Task',
    id: row.id,
    meta: meta(row, profiles.task),
    ...partnerIdentifier(row),
    ...(services.length ? { contained: services } : {}),
    status: taskStatus[row.status],
    ...(row.statusReasonCode ? { statusReason: { coding: [statusReasonCoding(row.statusReasonCode)] } } : {}),
    ...(row.outcome ? { businessStatus: outcomeConcept(row.outcome) } : {}),
    intent: 'order',
    code: { coding: [{ system: systems.taskCode, code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus: { reference: `ServiceRequest/${row.id}` },
    for: { reference: `Patient/${row.id}` },
    authoredOn: row.referredAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
    requester: partner(row),
    owner: site(row),
    ...(row.closedAt ? { executionPeriod: { start: row.referredAt.toISOString(), end: row.closedAt.toISOString() } } : {}),
    ...(services.length
      ? {
          output: connectedTo.map((support, i) => ({
            extension: [{ url: systems.itemStatusExtension, valueCode: support.status }],
            type: { coding: [{ system: systems.sdohcc, code: 'resulting-activity', display: 'Resulting Activity' }] },
            valueReference: { reference: `#${services[i]!.id}`, display: support.name },
          })),
        }
      : {}),
  };
}

/** The Task with its output: what the client of the referral was connected to. */
export async function taskOf(ctx: GraphQLContext, row: ReferralRow) {
  return task(row, await partnerReferralConnections(ctx, row.id));
}

/**
 * The person referred, as `PartnerReferral.client` shows them: names, phone and preferred language
 * only while the client consents to sharing with the partner, less what a lock-box holds back. Its id
 * is the referral's: the same person referred twice is two Patients, so the partner learns nothing
 * about who else a site's client is.
 */
export async function patient(ctx: GraphQLContext, row: ReferralRow) {
  const subject = { tenantId: row.tenantId, clientId: row.clientId };
  // Like `withheld`: what the resource tells of the client's consent and locks is itself read.
  ctx.privacy.record('READ', subject, 'CONSENT');
  const client = await partnerReferralClient(ctx, row.id);
  const withheld = client ? client.withheld : ['CLIENT_DETAILS'];
  const base = {
    resourceType: 'Patient',
    id: row.id,
    meta: {
      lastUpdated: row.updatedAt.toISOString(),
      // Told that something is held back, and what kind of thing (the GraphQL `withheld` list), never what.
      ...(withheld.length
        ? {
            security: [{ system: systems.security, code: 'REDACTED', display: 'redacted' }],
            tag: withheld.map((what) => ({ system: systems.withheld, code: what })),
          }
        : {}),
    },
  };
  if (!client) return base;
  ctx.privacy.record('READ', subject, 'IDENTITY');
  const phone = client.phone && !withheld.includes('CONTACT') ? client.phone : null;
  const language = client.preferredLanguage && !withheld.includes('SOCIODEMOGRAPHICS') ? client.preferredLanguage : null;
  if (phone) ctx.privacy.record('READ', subject, 'CONTACT');
  if (language) ctx.privacy.record('READ', subject, 'SOCIODEMOGRAPHICS');
  return {
    ...base,
    name: [{ family: client.familyName, given: [client.givenName] }],
    ...(phone ? { telecom: [{ system: 'phone', value: phone }] } : {}),
    ...(language ? { communication: [{ language: { coding: [{ system: systems.language, code: language }] }, preferred: true }] } : {}),
  };
}
