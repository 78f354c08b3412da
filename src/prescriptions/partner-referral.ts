// What a partner organization sees of the referrals it made: status, status history and outcome.
// A separate type, so a partner can never select a client field or a note: minimum necessary.
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { clientRecord, nonIdentifying, phi, phiWrite } from '../privacy/marking.js';
import { PartnerReferralClientRef, partnerReferralClient } from '../privacy/partner-client.js';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import { forbidden, invalidTransition } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import type { RequestDb } from '../db/request-scope.js';
import { changeStatus, findPrescription } from './changes.js';
import { transitionProblem } from './status-machine.js';
import { clientDetailsSchema } from '../clients/client.js';
import { NeedEnum, referredNeeds } from '../shared/vocabulary.js';
import { SupportLevel } from '../generated/prisma/enums.js';
import { ReferralOutcomeEnum, ReferralStatusEnum, SupportLevelEnum } from './enums.js';
import { TenantNode } from '../tenants/tenant.js';

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
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.', extensions: phi('REFERRAL') }),
  }),
});

export const PartnerReferralNode = builder.prismaNode('SocialPrescription', {
  authz: 'readOwnReferrals',
  nullable: true,
  variant: 'PartnerReferral',
  description: 'A referral your organization made, as you may follow it: site, status, history and outcome only.',
  id: { field: 'id' },
  extensions: clientRecord<{ tenantId: string; clientId: string }>((p) => ({ tenantId: p.tenantId, clientId: p.clientId })),
  fields: (t) => ({
    site: t.relation('tenant', { description: 'The site the referral went to.', extensions: nonIdentifying }),
    status: t.expose('status', { type: ReferralStatusEnum, description: 'Closed-loop status.', extensions: phi('REFERRAL') }),
    needs: t.expose('needs', { type: [NeedEnum], description: 'The needs you referred the person for.', extensions: phi('REFERRAL') }),
    outcome: t.expose('outcome', { type: ReferralOutcomeEnum, nullable: true, description: 'How it turned out, once ended.', extensions: phi('REFERRAL') }),
    referredAt: t.expose('referredAt', { type: 'DateTime', description: 'When you made the referral.', extensions: phi('REFERRAL') }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true, description: 'When it ended.', extensions: phi('REFERRAL') }),
    statusHistory: t.relation('events', {
      type: PartnerReferralStatusChange,
      description: 'Status changes, oldest first.',
      extensions: phi('REFERRAL'),
      query: { where: { kind: { in: ['CREATED', 'STATUS_CHANGED'] } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
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

builder.queryField('partnerReferrals', (t) =>
  t.prismaConnection({
    authz: 'readOwnReferrals',
    type: PartnerReferralNode,
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description: 'Referrals your organization made, newest first (partners with referrals:read).',
    args: { status: t.arg({ type: [ReferralStatusEnum], required: false, description: 'Only these statuses.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.socialPrescription.findMany({
        ...query,
        where: {
          source: 'PARTNER',
          referringPartnerId: principalFor(ctx, 'readOwnReferrals').partnerId,
          ...(args.status?.length ? { status: { in: args.status } } : {}),
        },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

const SubmitReferralClientInput = builder.inputType('SubmitReferralClientInput', {
  description: 'The minimum a site needs to reach the person referred.',
  fields: (t) => ({
    givenName: t.string({ required: true, description: 'Given name.' }),
    familyName: t.string({ required: true, description: 'Family name.' }),
    dateOfBirth: t.field({ type: 'Date', description: 'Date of birth.' }),
    phone: t.string({ description: 'Phone number.' }),
    email: t.string({ description: 'Email address.' }),
    preferredLanguage: t.string({ description: 'Preferred language (ISO 639 code).' }),
  }),
});

const submitSchema = z.object({
  site: z.string().min(1, 'is required'),
  client: clientDetailsSchema,
  needs: referredNeeds,
  supportLevel: z.enum(SupportLevel).nullish(),
  reason: z.string().max(4000).nullish(),
});

const SubmitReferralInput = builder
  .inputType('SubmitReferralInput', {
    description: 'A referral into a site your organization is partnered with.',
    fields: (t) => ({
      site: t.string({ required: true, description: 'Slug of the site (for example "norwest").' }),
      client: t.field({ type: SubmitReferralClientInput, required: true, description: 'The person referred.' }),
      needs: t.field({ type: [NeedEnum], required: true, description: 'Needs the referral addresses (at least one).' }),
      supportLevel: t.field({ type: SupportLevelEnum, description: 'Support level asked for (default MEDIUM).' }),
      reason: t.string({ description: 'Why you refer, for the link worker. You will not be able to read it back.' }),
    }),
  })
  .validate(submitSchema);

type Submitted = { id: string; tenantId: string; clientId: string; status: 'REQUESTED'; referredAt: Date };

const SubmitReferralPayload = builder.objectRef<Submitted>('SubmitReferralPayload').implement({
  authz: 'reached',
  description: 'The referral as submitted.',
  // The partner's own submission echoed back: nothing it did not send.
  extensions: clientRecord<Submitted>((r) => ({ tenantId: r.tenantId, clientId: r.clientId })),
  fields: (t) => ({
    referralId: t.id({
      description: 'Global id of the referral (a PartnerReferral).',
      extensions: nonIdentifying,
      resolve: (r) => encodeGlobalID('PartnerReferral', r.id),
    }),
    site: t.field({
      type: TenantNode,
      description: 'The site it went to.',
      extensions: nonIdentifying,
      resolve: (r, _args, ctx) => ctx.db.tenant.findUniqueOrThrow({ where: { id: r.tenantId } }),
    }),
    status: t.field({ type: ReferralStatusEnum, description: 'Status now: REQUESTED.', extensions: nonIdentifying, resolve: (r) => r.status }),
    referredAt: t.field({ type: 'DateTime', description: 'When it was received.', extensions: nonIdentifying, resolve: (r) => r.referredAt }),
  }),
});

builder.mutationField('submitReferral', (t) =>
  t.field({
    authz: 'submitReferrals',
    extensions: phiWrite('REFERRAL'),
    type: SubmitReferralPayload,
    description: 'Refers a person to a partnered site’s link worker (partners with referrals:create).',
    args: { input: t.arg({ type: SubmitReferralInput, required: true, description: 'The referral.' }) },
    resolve: async (_root, args, ctx) => {
      const { input } = args;
      const partner = principalFor(ctx, 'submitReferrals');
      const partnership = await ctx.db.partnership.findFirst({
        where: { tenantId: input.site, partnerId: partner.partnerId, active: true, scopes: { has: 'REFERRALS_CREATE' } },
        select: { id: true },
      });
      if (!partnership) throw forbidden('No active partnership with this site grants referrals:create');
      // createMany: the partner may add these rows but not read the client back (no RETURNING).
      const clientId = randomUUID();
      const referral: Submitted = { id: randomUUID(), tenantId: input.site, clientId, status: 'REQUESTED', referredAt: new Date() };
      await ctx.db.client.createMany({
        data: [
          {
            id: clientId,
            tenantId: input.site,
            chartNumber: `REF-${partner.partnerId}-${clientId.slice(0, 8)}`,
            givenName: input.client.givenName,
            familyName: input.client.familyName,
            dateOfBirth: input.client.dateOfBirth ?? null,
            phone: input.client.phone ?? null,
            email: input.client.email ?? null,
            preferredLanguage: input.client.preferredLanguage ?? null,
          },
        ],
      });
      await ctx.db.socialPrescription.createMany({
        data: [
          {
            id: referral.id,
            tenantId: input.site,
            clientId,
            needs: input.needs,
            supportLevel: input.supportLevel ?? 'MEDIUM',
            notes: input.reason ?? null,
            source: 'PARTNER',
            referringPartnerId: partner.partnerId,
            referringSubject: partner.subject,
            status: referral.status,
            referredAt: referral.referredAt,
          },
        ],
      });
      await ctx.db.prescriptionEvent.createMany({
        data: [
          {
            tenantId: input.site,
            prescriptionId: referral.id,
            kind: 'CREATED',
            toStatus: referral.status,
            actorSubject: partner.subject,
            actorKind: 'PARTNER',
            occurredAt: referral.referredAt,
          },
        ],
      });
      return referral;
    },
  }),
);

const cancelSchema = z.object({ referralId: z.string(), reason: z.string().trim().min(1, 'must not be empty').max(1000).nullish() });

const CancelReferralInput = builder
  .inputType('CancelReferralInput', {
    description: 'Withdraws a referral your organization made.',
    fields: (t) => ({
      referralId: t.id({ required: true, description: 'The referral (a PartnerReferral id, as submitReferral returned it).' }),
      reason: t.string({ description: 'Why, for the link worker.' }),
    }),
  })
  .validate(cancelSchema);

type Cancelled = { id: string; tenantId: string; clientId: string; status: 'CANCELLED'; closedAt: Date };

const CancelReferralPayload = builder.objectRef<Cancelled>('CancelReferralPayload').implement({
  authz: 'reached',
  description: 'The referral as cancelled.',
  extensions: clientRecord<Cancelled>((r) => ({ tenantId: r.tenantId, clientId: r.clientId })),
  fields: (t) => ({
    referralId: t.id({
      description: 'Global id of the referral (a PartnerReferral).',
      extensions: nonIdentifying,
      resolve: (r) => encodeGlobalID('PartnerReferral', r.id),
    }),
    status: t.field({ type: ReferralStatusEnum, description: 'Status now: CANCELLED.', extensions: nonIdentifying, resolve: (r) => r.status }),
    closedAt: t.field({ type: 'DateTime', description: 'When it ended.', extensions: nonIdentifying, resolve: (r) => r.closedAt }),
  }),
});

// Row-level security lets a partner see and change its own referrals only while this flag is on
// (see the partner_cancel policies): a partnership that does not grant referrals:read keeps
// showing the partner no status.
const setCancelling = (db: RequestDb, on: boolean) => db.$queryRaw`SELECT set_config('app.partner_cancel', ${on ? 'on' : ''}, true)`;

builder.mutationField('cancelReferral', (t) =>
  t.field({
    authz: 'submitReferrals',
    extensions: phiWrite('REFERRAL'),
    type: CancelReferralPayload,
    description: 'Cancels a referral your organization made, while it is still open (partners with referrals:create).',
    args: { input: t.arg({ type: CancelReferralInput, required: true, description: 'The referral.' }) },
    resolve: async (_root, args, ctx) => {
      const { input } = args;
      const id = idOf(input.referralId, 'PartnerReferral', 'input.referralId');
      const partner = principalFor(ctx, 'submitReferrals');
      await setCancelling(ctx.db, true);
      try {
        const current = await findPrescription(ctx.db, { id, source: 'PARTNER', referringPartnerId: partner.partnerId });
        const problem = transitionProblem(current.status, 'CANCELLED', ['REFERRING']);
        if (problem) throw invalidTransition(problem);
        const closedAt = await changeStatus(ctx, current, 'CANCELLED', { reason: input.reason ?? null, note: null });
        return { id, tenantId: current.tenantId, clientId: current.clientId, status: 'CANCELLED' as const, closedAt: closedAt! };
      } finally {
        // Off again before any later field of the request runs; after a database error the whole
        // transaction is rolled back anyway, so a failing reset changes nothing.
        await setCancelling(ctx.db, false).catch(() => {});
      }
    },
  }),
);
