// Social prescriptions (referrals) as the site sees them: personal health information, readable by
// site staff in a clinical or data role. Partners see their own referrals through partner-referral.ts.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import type { GraphQLContext } from '../graphql/context.js';
import { principalFor } from '../auth/rules.js';
import { clientRecord, nonIdentifying, phi, phiWrite } from '../privacy/marking.js';
import { badUserInput, internalError, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { oneLine } from '../shared/fields.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import { describedEnum } from '../graphql/described-enum.js';
import { SortDirectionEnum } from '../graphql/sort-direction.js';
import { appendEvents } from './changes.js';
import { StatusReasonRef } from './status-reason-type.js';
import { NeedEnum, referredNeeds } from '../shared/vocabulary.js';
import { SupportLevel } from '../generated/prisma/enums.js';
import type { Need, ReferralSource, ReferralStatus } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrescriptionEventKindEnum, ReferralOutcomeEnum, ReferralSourceEnum, ReferralStatusEnum, SupportLevelEnum } from './enums.js';

export const SocialPrescriptionNode = builder.prismaNode('SocialPrescription', {
  authz: 'readPrescriptions',
  nullable: true,
  description: 'A social prescription: a referral to the site’s link worker, followed to its close.',
  extensions: clientRecord<{ id: string; tenantId: string; clientId: string }>((p) => ({ tenantId: p.tenantId, clientId: p.clientId, prescriptionId: p.id })),
  id: { field: 'id' },
  fields: (t) => ({
    client: t.relation('client', { description: 'The client referred.', extensions: phi('IDENTITY') }),
    prescriber: t.relation('prescriber', { nullable: true, description: 'Who prescribed; null for a partner referral.', extensions: phi('REFERRAL') }),
    linkWorker: t.relation('linkWorker', { nullable: true, description: 'The link worker following the referral.', extensions: phi('REFERRAL') }),
    needs: t.expose('needs', { type: [NeedEnum], description: 'Needs the prescription addresses.', extensions: phi('REFERRAL') }),
    supportLevel: t.expose('supportLevel', { type: SupportLevelEnum, description: 'Support level.', extensions: phi('REFERRAL') }),
    goals: t.exposeStringList('goals', { description: 'Goals co-created with the client.', extensions: phi('REFERRAL') }),
    interests: t.exposeStringList('interests', { description: 'The client’s interests.', extensions: phi('REFERRAL') }),
    gifts: t.exposeStringList('gifts', { description: 'The client’s gifts to share.', extensions: phi('REFERRAL') }),
    notes: t.exposeString('notes', { nullable: true, description: 'Free-text notes.', extensions: phi('NOTES') }),
    source: t.expose('source', { type: ReferralSourceEnum, description: 'Where the referral came from.', extensions: phi('REFERRAL') }),
    referringPartner: t.relation('referringPartner', {
      nullable: true,
      description: 'The partner that referred, for a partner referral.',
      extensions: phi('REFERRAL'),
    }),
    status: t.expose('status', { type: ReferralStatusEnum, description: 'Closed-loop status.', extensions: phi('REFERRAL') }),
    outcome: t.expose('outcome', { type: ReferralOutcomeEnum, nullable: true, description: 'How it turned out, once ended.', extensions: phi('REFERRAL') }),
    statusReason: t.field({
      type: StatusReasonRef,
      nullable: true,
      description: 'Why it was rejected, cancelled or failed, coded (the referring partner sees this too).',
      extensions: phi('REFERRAL'),
      resolve: (p) => p.statusReasonCode,
    }),
    statusReasonText: t.exposeString('statusReason', {
      nullable: true,
      description: 'Why the status was last set, in words (for example why it is on hold); for the site only.',
      extensions: phi('NOTES'),
    }),
    referredAt: t.expose('referredAt', { type: 'DateTime', description: 'When the referral was made.', extensions: phi('REFERRAL') }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true, description: 'When it ended.', extensions: phi('REFERRAL') }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.', extensions: nonIdentifying }),
    events: t.relation('events', {
      description: 'The full history, oldest first; `kinds` narrows it (ACTION_RECORDED: the link worker’s steps).',
      extensions: phi('REFERRAL'),
      args: { kinds: t.arg({ type: [PrescriptionEventKindEnum], required: false, description: 'Only entries of these kinds.' }) },
      query: (args) => ({
        where: args.kinds?.length ? { kind: { in: args.kinds } } : {},
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      }),
    }),
    items: t.relation('items', {
      description: 'Programs and assets the client was connected to.',
      extensions: phi('REFERRAL'),
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

export const SocialPrescriptionConnection = connectionOf(SocialPrescriptionNode, 'SocialPrescription');

const SocialPrescriptionOrderField = describedEnum('SocialPrescriptionOrderField', 'What to sort social prescriptions by.', {
  REFERRED_AT: 'When the referral was made.',
  UPDATED_AT: 'When it last changed.',
  STATUS: 'Status, in pathway order (DRAFT first, ENTERED_IN_ERROR last).',
});
const orderColumns = { REFERRED_AT: 'referredAt', UPDATED_AT: 'updatedAt', STATUS: 'status' } as const;

const SocialPrescriptionOrder = builder.inputType('SocialPrescriptionOrder', {
  description: 'How to sort social prescriptions; ties are broken by id.',
  fields: (t) => ({
    field: t.field({ type: SocialPrescriptionOrderField, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: SortDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

type PrescriptionFilter = {
  status?: readonly ReferralStatus[] | null;
  supportLevel?: SupportLevel | null;
  need?: Need | null;
  prescriberId?: string | null;
  linkWorkerId?: string | null;
  assignedToMe?: boolean | null;
  prescribedByMe?: boolean | null;
  source?: ReferralSource | null;
  referredFrom?: Date | null;
  referredTo?: Date | null;
};

async function prescriptionsWhere(args: PrescriptionFilter, ctx: GraphQLContext): Promise<Prisma.SocialPrescriptionWhereInput> {
  // Site staff always have a staff record by now (made at sign-in); without one, "mine" is nothing.
  const me = args.assignedToMe || args.prescribedByMe ? { in: [(await findCallerStaffRecord(ctx))?.id ?? ''] } : undefined;
  // Another site's staff ids are just ids that no row of this site carries.
  return {
    ...(args.status?.length ? { status: { in: [...args.status] } } : {}),
    ...(args.supportLevel ? { supportLevel: args.supportLevel } : {}),
    ...(args.need ? { needs: { has: args.need } } : {}),
    ...(args.prescriberId ? { prescriberId: idOf(args.prescriberId, 'StaffMember', 'prescriberId') } : {}),
    ...(args.linkWorkerId ? { linkWorkerId: idOf(args.linkWorkerId, 'StaffMember', 'linkWorkerId') } : {}),
    ...(args.source ? { source: args.source } : {}),
    AND: [args.assignedToMe ? { linkWorkerId: me } : {}, args.prescribedByMe ? { prescriberId: me } : {}],
    ...(args.referredFrom || args.referredTo
      ? { referredAt: { ...(args.referredFrom ? { gte: args.referredFrom } : {}), ...(args.referredTo ? { lt: args.referredTo } : {}) } }
      : {}),
  };
}

builder.queryField('socialPrescriptions', (t) =>
  t.prismaConnection(
    {
      authz: 'readPrescriptions',
      type: 'SocialPrescription',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Social prescriptions of your site, newest first unless `orderBy` says otherwise.',
      args: {
        status: t.arg({ type: [ReferralStatusEnum], required: false, description: 'Only these statuses.' }),
        supportLevel: t.arg({ type: SupportLevelEnum, required: false, description: 'Only this support level.' }),
        need: t.arg({ type: NeedEnum, required: false, description: 'Only prescriptions addressing this need.' }),
        prescriberId: t.arg.id({ required: false, description: 'Only those of this prescriber (a StaffMember).' }),
        linkWorkerId: t.arg.id({ required: false, description: 'Only those followed by this link worker (a StaffMember).' }),
        assignedToMe: t.arg.boolean({ required: false, description: 'Only those you follow as their link worker (your caseload).' }),
        prescribedByMe: t.arg.boolean({ required: false, description: 'Only those you prescribed.' }),
        source: t.arg({ type: ReferralSourceEnum, required: false, description: 'Only referrals from this source.' }),
        referredFrom: t.arg({ type: 'DateTime', required: false, description: 'Only referrals made at or after this instant.' }),
        referredTo: t.arg({ type: 'DateTime', required: false, description: 'Only referrals made before this instant.' }),
        orderBy: t.arg({ type: SocialPrescriptionOrder, required: false, description: 'Sort order (default: REFERRED_AT, DESC).' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const column = orderColumns[args.orderBy?.field ?? 'REFERRED_AT'];
        const direction = args.orderBy?.direction === 'ASC' ? 'asc' : 'desc';
        return ctx.db.socialPrescription.findMany({
          ...query,
          where: await prescriptionsWhere(args, ctx),
          orderBy: [{ [column]: direction }, { id: direction }],
        });
      },
      totalCount: async (_root, args, ctx) => ctx.db.socialPrescription.count({ where: await prescriptionsWhere(args, ctx) }),
    },
    SocialPrescriptionConnection,
  ),
);

export const textList = z.array(oneLine(z.string().trim().min(1, 'must not be empty').max(500))).max(20);
const createSchema = z.object({
  clientId: z.string(),
  prescriberId: z.string().nullish(),
  linkWorkerId: z.string().nullish(),
  needs: referredNeeds,
  supportLevel: z.enum(SupportLevel),
  goals: textList.nullish(),
  interests: textList.nullish(),
  gifts: textList.nullish(),
  notes: z.string().max(4000).nullish(),
  programIds: z.array(z.string()).max(20).nullish(),
  status: z.enum(['DRAFT', 'REQUESTED'], 'a new prescription starts as DRAFT or REQUESTED').nullish(),
});

const CreateSocialPrescriptionInput = builder
  .inputType('CreateSocialPrescriptionInput', {
    description: 'A new social prescription at your site.',
    fields: (t) => ({
      clientId: t.id({ required: true, description: 'The client referred.' }),
      prescriberId: t.id({ description: 'The prescriber; defaults to you when you are a prescriber.' }),
      linkWorkerId: t.id({ description: 'The link worker to assign now.' }),
      needs: t.field({ type: [NeedEnum], required: true, description: 'Needs it addresses (at least one).' }),
      supportLevel: t.field({ type: SupportLevelEnum, required: true, description: 'Support level.' }),
      goals: t.stringList({ description: 'Goals co-created with the client.' }),
      interests: t.stringList({ description: 'The client’s interests.' }),
      gifts: t.stringList({ description: 'The client’s gifts to share.' }),
      notes: t.string({ description: 'Free-text notes.' }),
      programIds: t.idList({ description: 'Programs to suggest now.' }),
      status: t.field({ type: ReferralStatusEnum, description: 'DRAFT to prepare it, or REQUESTED (default) to send it.' }),
    }),
  })
  .validate(createSchema);

builder.mutationField('createSocialPrescription', (t) =>
  t.prismaField({
    authz: 'prescribe',
    type: 'SocialPrescription',
    description: 'Makes a social prescription for a client of your site.',
    extensions: phiWrite('REFERRAL'),
    args: { input: t.arg({ type: CreateSocialPrescriptionInput, required: true, description: 'The prescription.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const principal = principalFor(ctx, 'prescribe');
      const db = ctx.db;
      const clientId = idOf(input.clientId, 'Client', 'input.clientId');
      // Another site's ids are invisible under row-level security: they read as not found.
      const client = await db.client.findUnique({ where: { id: clientId }, select: { id: true } });
      if (!client) throw notFound('Client');

      const caller = await findCallerStaffRecord(ctx);
      let prescriberId: string | null = null;
      if (input.prescriberId) {
        prescriberId = idOf(input.prescriberId, 'StaffMember', 'input.prescriberId');
        const prescriber = await db.staffMember.findUnique({ where: { id: prescriberId }, select: { roles: true } });
        if (!prescriber) throw notFound('Prescriber');
        if (!prescriber.roles.includes('PRESCRIBER')) throw badUserInput([{ field: 'input.prescriberId', message: 'is not a prescriber' }]);
      } else if (principal.roles.includes('PRESCRIBER')) {
        // A prescriber's staff record was made at sign-in, if not before: they are the prescriber.
        if (!caller) throw internalError();
        prescriberId = caller.id;
      }
      let linkWorkerId: string | null = null;
      if (input.linkWorkerId) {
        linkWorkerId = idOf(input.linkWorkerId, 'StaffMember', 'input.linkWorkerId');
        const linkWorker = await db.staffMember.findUnique({ where: { id: linkWorkerId }, select: { roles: true } });
        if (!linkWorker) throw notFound('Link worker');
        if (!linkWorker.roles.includes('LINK_WORKER')) throw badUserInput([{ field: 'input.linkWorkerId', message: 'is not a link worker' }]);
      }
      const programIds = [...new Set((input.programIds ?? []).map((id, i) => idOf(id, 'Program', `input.programIds.${i}`)))];
      if (programIds.length) {
        const visible = await db.program.count({ where: { id: { in: programIds }, active: true } });
        if (visible !== programIds.length) throw notFound('Program');
      }

      const status = input.status ?? 'REQUESTED';
      const prescription = await db.socialPrescription.create({
        data: {
          tenantId: principal.tenantId,
          clientId,
          prescriberId,
          linkWorkerId,
          needs: input.needs,
          supportLevel: input.supportLevel,
          goals: input.goals ?? [],
          interests: input.interests ?? [],
          gifts: input.gifts ?? [],
          notes: input.notes ?? null,
          status,
        },
        select: { id: true },
      });
      const items = programIds.map((programId) => ({ id: randomUUID(), tenantId: principal.tenantId, prescriptionId: prescription.id, programId }));
      if (items.length) await db.prescriptionItem.createMany({ data: items });
      await appendEvents(ctx, { id: prescription.id, tenantId: principal.tenantId }, [
        { kind: 'CREATED', toStatus: status },
        ...(linkWorkerId ? [{ kind: 'LINK_WORKER_ASSIGNED' as const, assignedStaffId: linkWorkerId }] : []),
        ...items.map((item) => ({ kind: 'ITEM_ADDED' as const, itemId: item.id, toItemStatus: 'SUGGESTED' as const })),
      ]);
      return db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: prescription.id } });
    },
  }),
);
