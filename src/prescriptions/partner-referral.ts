// What a partner organization sees of the referrals it made: status, status history and outcome.
// A separate type, so a partner can never select a client field or a note: minimum necessary.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { clientRecord, nonIdentifying, phi, phiWrite } from '../privacy/marking.js';
import { PartnerReferralClientRef, partnerReferralClient } from '../privacy/partner-client.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { conflict, forbidden, invalidTransition } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { RequestDb } from '../db/request-scope.js';
import { isUniqueViolation } from '../db/errors.js';
import { changeStatus, findPrescription } from './changes.js';
import { transitionProblem } from './status-machine.js';
import { clientDetailsSchema, healthCardSchema } from '../clients/client.js';
import { matchClient } from '../clients/matching.js';
import { NeedEnum, referredNeeds } from '../shared/vocabulary.js';
import { StatusReasonCode, SupportLevel } from '../generated/prisma/enums.js';
import { ReferralOutcomeEnum, ReferralStatusEnum, SupportLevelEnum } from './enums.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { StatusReasonCodeEnum, StatusReasonRef } from './status-reason-type.js';
import { ConnectedSupportRef, partnerReferralConnections } from './partner-connections.js';

const PartnerReferralStatusChange = builder.prismaObject('PrescriptionEvent', {
  authz: 'readOwnReferrals',
  variant: 'PartnerReferralStatusChange',
  description: 'A status change of a referral, as its referring partner sees it: no notes, no names.',
  extensions: clientRecord<{ tenantId: string; prescriptionId: string }>((e) => ({ tenantId: e.tenantId, prescriptionId: e.prescriptionId })),
  fields: (t) => ({
    fromStatus: t.expose('fromStatus', {
      type: ReferralStatusEnum,
      nullable: true,
      description: 'Status before; null at creation.',
      extensions: phi('REFERRAL'),
    }),
    toStatus: t.expose('toStatus', { type: ReferralStatusEnum, nullable: true, description: 'Status after.', extensions: phi('REFERRAL') }),
    statusReason: t.field({
      type: StatusReasonRef,
      nullable: true,
      description: 'Why, coded, for a move to REJECTED, CANCELLED or FAILED.',
      extensions: phi('REFERRAL'),
      resolve: (e) => e.statusReasonCode,
    }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.', extensions: phi('REFERRAL') }),
  }),
});

// Fields a partner gets back from submitReferral and cancelReferral even without referrals:read
// (seeSubmittedReferrals); the rest of the type needs referrals:read.
export const PartnerReferralNode = builder.prismaNode('SocialPrescription', {
  authz: 'readOwnReferrals',
  nullable: true,
  variant: 'PartnerReferral',
  description: 'A referral your organization made, as you may follow it: site, status, history and outcome only.',
  id: { field: 'id', authz: 'seeSubmittedReferrals' },
  extensions: clientRecord<{ tenantId: string; clientId: string }>((p) => ({ tenantId: p.tenantId, clientId: p.clientId })),
  fields: (t) => ({
    externalReference: t.exposeString('externalReference', {
      authz: 'seeSubmittedReferrals',
      nullable: true,
      description: 'Your own reference for the referral, as you submitted it.',
      extensions: phi('REFERRAL'),
    }),
    site: t.relation('tenant', { authz: 'seeSubmittedReferrals', description: 'The site the referral went to.', extensions: nonIdentifying }),
    status: t.expose('status', { authz: 'seeSubmittedReferrals', type: ReferralStatusEnum, description: 'Closed-loop status.', extensions: phi('REFERRAL') }),
    statusReason: t.field({
      authz: 'seeSubmittedReferrals',
      type: StatusReasonRef,
      nullable: true,
      description: 'Why it was rejected, cancelled or failed, coded; null otherwise.',
      extensions: phi('REFERRAL'),
      resolve: (p) => p.statusReasonCode,
    }),
    needs: t.expose('needs', { type: [NeedEnum], description: 'The needs you referred the person for.', extensions: phi('REFERRAL') }),
    outcome: t.expose('outcome', { type: ReferralOutcomeEnum, nullable: true, description: 'How it turned out, once ended.', extensions: phi('REFERRAL') }),
    referredAt: t.expose('referredAt', {
      authz: 'seeSubmittedReferrals',
      type: 'DateTime',
      description: 'When you made the referral.',
      extensions: phi('REFERRAL'),
    }),
    updatedAt: t.expose('updatedAt', {
      authz: 'seeSubmittedReferrals',
      type: 'DateTime',
      description: 'When it last changed (status, reason, outcome, or the site’s edits); poll with partnerReferrals(updatedSince:).',
      extensions: phi('REFERRAL'),
    }),
    closedAt: t.expose('closedAt', {
      authz: 'seeSubmittedReferrals',
      type: 'DateTime',
      nullable: true,
      description: 'When it ended.',
      extensions: phi('REFERRAL'),
    }),
    statusHistory: t.relation('events', {
      type: PartnerReferralStatusChange,
      description: 'Status changes, oldest first.',
      extensions: phi('REFERRAL'),
      query: { where: { kind: { in: ['CREATED', 'STATUS_CHANGED'] } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    }),
    connectedTo: t.field({
      type: [ConnectedSupportRef],
      description: 'What the client was connected to: the programs and assets they enrolled in or attended, oldest first (FHIR Task.output).',
      extensions: nonIdentifying, // its own fields are the health information, audited there
      resolve: (p, _args, ctx) => partnerReferralConnections(ctx, p.id),
    }),
    client: t.field({
      type: PartnerReferralClientRef,
      nullable: true,
      description: 'The person referred, while the client consents to sharing with your organization; null otherwise (see withheld).',
      extensions: nonIdentifying, // its own fields are the health information, audited there
      resolve: (p, _args, ctx) => partnerReferralClient(ctx, p.id),
    }),
    withheld: t.stringList({
      description: 'What is held back from you: CLIENT_DETAILS without the client’s consent to share with you, CONTACT and SOCIODEMOGRAPHICS under a lock-box.',
      extensions: phi('CONSENT'), // says whether the client consents and what they locked
      resolve: async (p, _args, ctx) => {
        const client = await partnerReferralClient(ctx, p.id);
        return client ? client.withheld : ['CLIENT_DETAILS'];
      },
    }),
  }),
});

export const PartnerReferralConnection = connectionOf(PartnerReferralNode, 'PartnerReferral');

const ownReferralsWhere = (args: { status?: readonly ReferralStatus[] | null; updatedSince?: Date | null }, ctx: GraphQLContext) => ({
  source: 'PARTNER' as const,
  referringPartnerId: principalFor(ctx, 'readOwnReferrals').partnerId,
  ...(args.status?.length ? { status: { in: [...args.status] } } : {}),
  ...(args.updatedSince ? { updatedAt: { gte: args.updatedSince } } : {}),
});

builder.queryField('partnerReferrals', (t) =>
  t.prismaConnection(
    {
      authz: 'readOwnReferrals',
      type: PartnerReferralNode,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description:
        'Referrals your organization made (partners with referrals:read): newest first, or with `updatedSince` those changed at or after that instant, oldest change first (by updatedAt, then id), for polling.',
      args: {
        status: t.arg({ type: [ReferralStatusEnum], required: false, description: 'Only these statuses.' }),
        updatedSince: t.arg({
          type: 'DateTime',
          required: false,
          description: 'Only referrals whose updatedAt is at or after this instant; orders by updatedAt, id.',
        }),
      },
      resolve: (query, _root, args, ctx) =>
        ctx.db.socialPrescription.findMany({
          ...query,
          where: ownReferralsWhere(args, ctx),
          orderBy: args.updatedSince ? [{ updatedAt: 'asc' }, { id: 'asc' }] : [{ referredAt: 'desc' }, { id: 'desc' }],
        }),
      totalCount: (_root, args, ctx) => ctx.db.socialPrescription.count({ where: ownReferralsWhere(args, ctx) }),
    },
    PartnerReferralConnection,
  ),
);

const SubmitReferralClientInput = builder.inputType('SubmitReferralClientInput', {
  description: 'The minimum a site needs to reach the person referred, and to recognize a client it already has.',
  fields: (t) => ({
    givenName: t.string({ required: true, description: 'Given name.' }),
    familyName: t.string({ required: true, description: 'Family name.' }),
    dateOfBirth: t.field({ type: 'Date', description: 'Date of birth; without it the person is never matched by name.' }),
    healthCardNumber: t.string({ description: 'Health card number, when you have it (spaces and hyphens are ignored).' }),
    phone: t.string({ description: 'Phone number.' }),
    email: t.string({ description: 'Email address.' }),
    preferredLanguage: t.string({ description: 'Preferred language (ISO 639 code).' }),
  }),
});

const submitSchema = z.object({
  externalReference: z
    .string()
    .min(1, 'is required')
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  site: z.string().min(1, 'is required'),
  client: clientDetailsSchema.extend({ healthCardNumber: healthCardSchema }),
  needs: referredNeeds,
  supportLevel: z.enum(SupportLevel).nullish(),
  reason: z.string().max(4000).nullish(),
});
type Submission = z.output<typeof submitSchema>;

const SubmitReferralInput = builder
  .inputType('SubmitReferralInput', {
    description: 'A referral into a site your organization is partnered with.',
    fields: (t) => ({
      externalReference: t.string({
        required: true,
        description:
          'Your own reference for this referral, unique for your organization (for example your system’s id, or a FHIR ServiceRequest identifier). The same reference again returns the referral already made; with different details it answers CONFLICT.',
      }),
      site: t.string({ required: true, description: 'Slug of the site (for example "norwest").' }),
      client: t.field({ type: SubmitReferralClientInput, required: true, description: 'The person referred.' }),
      needs: t.field({ type: [NeedEnum], required: true, description: 'Needs the referral addresses (at least one).' }),
      supportLevel: t.field({ type: SupportLevelEnum, description: 'Support level asked for (default MEDIUM).' }),
      reason: t.string({ description: 'Why you refer, for the link worker. You will not be able to read it back.' }),
    }),
  })
  .validate(submitSchema);

/**
 * SHA-256 over the canonical form of a submission: every field in a fixed order, absent ones as
 * null, after validation (names trimmed, health card normalized), the default support level
 * applied, needs sorted and without repeats, the date of birth as YYYY-MM-DD.
 */
export function submissionHash(input: Submission) {
  const { client } = input;
  const canonical = [
    input.externalReference,
    input.site,
    client.givenName,
    client.familyName,
    client.dateOfBirth?.toISOString().slice(0, 10) ?? null,
    client.healthCardNumber ?? null,
    client.phone ?? null,
    client.email ?? null,
    client.preferredLanguage ?? null,
    [...new Set(input.needs)].sort(),
    input.supportLevel ?? 'MEDIUM',
    input.reason ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

// Row-level security lets a partner see and change its own referrals without referrals:read only
// while this flag is on (see the partner_cancel policies): while it cancels one, and while it reads
// back the referral it just submitted or cancelled. A partnership that does not grant referrals:read
// keeps showing the partner nothing else.
const setOwnReferralsVisible = (db: RequestDb, on: boolean) => db.$queryRaw`SELECT set_config('app.partner_cancel', ${on ? 'on' : ''}, true)`;

async function withOwnReferralsVisible<T>(db: RequestDb, work: () => Promise<T>): Promise<T> {
  await setOwnReferralsVisible(db, true);
  try {
    return await work();
  } finally {
    // Off again before any later field of the request runs; after a database error the whole
    // transaction is rolled back anyway, so a failing reset changes nothing.
    await setOwnReferralsVisible(db, false).catch(() => {});
  }
}

type Earlier = { id: string; tenantId: string; submissionHash: string | null };
const earlierSubmission = async (db: RequestDb, reference: string) =>
  (await db.$queryRaw<Earlier[]>`SELECT * FROM partner_submission(${reference})`)[0] ?? null;

/** The referral already made under this reference, if its details are the same; CONFLICT if not. */
function sameSubmission(earlier: Earlier, hash: string) {
  if (earlier.submissionHash !== hash) {
    throw conflict('A referral with this externalReference was already submitted with different details; use a new reference for a new referral');
  }
  return earlier.id;
}

/** Writes the client (unless matched), the referral and its first event; the referral's id. */
async function recordSubmission(ctx: GraphQLContext, input: Submission, hash: string) {
  const partner = principalFor(ctx, 'submitReferrals');
  const tenantId = input.site;
  const match = await matchClient(ctx.db, tenantId, input.client);
  // Comparing is a use of those clients' identity information, by this partner: audited.
  for (const clientId of match.examined) ctx.privacy.record('READ', { tenantId, clientId }, 'IDENTITY');
  let clientId: string;
  if (match.kind === 'MATCHED') {
    clientId = match.clientId;
  } else {
    // createMany: the partner may add these rows but not read the client back (no RETURNING).
    clientId = randomUUID();
    await ctx.db.client.createMany({
      data: [
        {
          id: clientId,
          tenantId,
          chartNumber: `REF-${partner.partnerId}-${clientId.slice(0, 8)}`,
          givenName: input.client.givenName,
          familyName: input.client.familyName,
          dateOfBirth: input.client.dateOfBirth ?? null,
          healthCardNumber: input.client.healthCardNumber ?? null,
          phone: input.client.phone ?? null,
          email: input.client.email ?? null,
          preferredLanguage: input.client.preferredLanguage ?? null,
          possibleDuplicateOfIds: match.kind === 'AMBIGUOUS' ? match.candidateIds : [],
        },
      ],
    });
  }
  const id = randomUUID();
  const referredAt = new Date();
  await ctx.db.socialPrescription.createMany({
    data: [
      {
        id,
        tenantId,
        clientId,
        needs: input.needs,
        supportLevel: input.supportLevel ?? 'MEDIUM',
        notes: input.reason ?? null,
        source: 'PARTNER',
        referringPartnerId: partner.partnerId,
        referringSubject: partner.subject,
        externalReference: input.externalReference,
        submissionHash: hash,
        status: 'REQUESTED',
        referredAt,
      },
    ],
  });
  await ctx.db.prescriptionEvent.createMany({
    data: [
      {
        tenantId,
        prescriptionId: id,
        kind: 'CREATED',
        toStatus: 'REQUESTED',
        actorSubject: partner.subject,
        actorKind: 'PARTNER',
        occurredAt: referredAt,
      },
    ],
  });
  return id;
}

builder.mutationField('submitReferral', (t) =>
  t.prismaField({
    authz: 'submitReferrals',
    extensions: phiWrite('REFERRAL'),
    type: PartnerReferralNode,
    description:
      'Refers a person to a partnered site’s link worker (partners with referrals:create). Idempotent under your externalReference: sending it again returns the same referral and changes nothing.',
    args: { input: t.arg({ type: SubmitReferralInput, required: true, description: 'The referral.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const partner = principalFor(ctx, 'submitReferrals');
      const partnership = await ctx.db.partnership.findFirst({
        where: { tenantId: input.site, partnerId: partner.partnerId, active: true, scopes: { has: 'REFERRALS_CREATE' } },
        select: { id: true },
      });
      if (!partnership) throw forbidden('No active partnership with this site grants referrals:create');
      const hash = submissionHash(input);
      const earlier = await earlierSubmission(ctx.db, input.externalReference);
      let id: string;
      if (earlier) {
        id = sameSubmission(earlier, hash);
      } else {
        // A concurrent duplicate that commits first makes the unique index (referringPartnerId,
        // externalReference) refuse this one: undo its writes, keep the transaction, return that one.
        await ctx.db.$executeRawUnsafe('SAVEPOINT submit_referral');
        try {
          id = await recordSubmission(ctx, input, hash);
          await ctx.db.$executeRawUnsafe('RELEASE SAVEPOINT submit_referral');
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          await ctx.db.$executeRawUnsafe('ROLLBACK TO SAVEPOINT submit_referral');
          const winner = await earlierSubmission(ctx.db, input.externalReference);
          if (!winner) throw error;
          id = sameSubmission(winner, hash);
        }
      }
      return withOwnReferralsVisible(ctx.db, () => ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id } }));
    },
  }),
);

const cancelSchema = z.object({
  referralId: z.string(),
  reasonCode: z.enum(StatusReasonCode),
  reason: z.string().trim().min(1, 'must not be empty').max(1000).nullish(),
});

const CancelReferralInput = builder
  .inputType('CancelReferralInput', {
    description: 'Withdraws a referral your organization made.',
    fields: (t) => ({
      referralId: t.id({ required: true, description: 'The referral (a PartnerReferral id, as submitReferral returned it).' }),
      reasonCode: t.field({ type: StatusReasonCodeEnum, required: true, description: 'Why, coded (for example CLIENT_DECLINED).' }),
      reason: t.string({ description: 'Why, in words, for the link worker.' }),
    }),
  })
  .validate(cancelSchema);

builder.mutationField('cancelReferral', (t) =>
  t.prismaField({
    authz: 'submitReferrals',
    extensions: phiWrite('REFERRAL'),
    type: PartnerReferralNode,
    description: 'Cancels a referral your organization made, while it is still open (partners with referrals:create).',
    args: { input: t.arg({ type: CancelReferralInput, required: true, description: 'The referral.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const id = idOf(input.referralId, 'PartnerReferral', 'input.referralId');
      const partner = principalFor(ctx, 'submitReferrals');
      return withOwnReferralsVisible(ctx.db, async () => {
        const current = await findPrescription(ctx.db, { id, source: 'PARTNER', referringPartnerId: partner.partnerId });
        const problem = transitionProblem(current.status, 'CANCELLED', ['REFERRING']);
        if (problem) throw invalidTransition(problem);
        await changeStatus(ctx, current, 'CANCELLED', { reasonCode: input.reasonCode, reason: input.reason ?? null, note: null });
        return ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id } });
      });
    },
  }),
);
