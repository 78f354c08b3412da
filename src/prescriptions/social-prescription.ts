// Social prescriptions (referrals) as the site sees them: personal health information, readable by
// site staff in a clinical or data role. Partners see their own referrals through partner-referral.ts.
import { randomUUID } from 'node:crypto';
import { allow } from 'graphql-shield';
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { hasSiteRole, readsClientPhi } from '../auth/rules.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { validate } from '../graphql/validation.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import {
  ContactResultEnum,
  NeedEnum,
  PrescriptionActionKindEnum,
  PrescriptionEventKindEnum,
  PrescriptionItemStatusEnum,
  ReferralOutcomeEnum,
  ReferralSourceEnum,
  ReferralStatusEnum,
  SupportLevelEnum,
} from './enums.js';

export const PrescriptionEventRef = builder.prismaObject('PrescriptionEvent', {
  description: 'One entry of a prescription’s history. Never changed or removed.',
  fields: (t) => ({
    kind: t.expose('kind', { type: PrescriptionEventKindEnum, description: 'What the entry records.' }),
    fromStatus: t.expose('fromStatus', { type: ReferralStatusEnum, nullable: true, description: 'Status before, for a status change.' }),
    toStatus: t.expose('toStatus', { type: ReferralStatusEnum, nullable: true, description: 'Status after, for a status change or creation.' }),
    action: t.expose('action', { type: PrescriptionActionKindEnum, nullable: true, description: 'The link worker’s step, for a recorded action.' }),
    contactResult: t.expose('contactResult', { type: ContactResultEnum, nullable: true, description: 'Result of a contact attempt.' }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note.' }),
    actorSubject: t.exposeString('actorSubject', { description: 'Who made the change (token subject).' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

export const PrescriptionItemNode = builder.prismaNode('PrescriptionItem', {
  nullable: true,
  description: 'A program or community asset a client was connected to through a prescription.',
  id: { field: 'id' },
  fields: (t) => ({
    status: t.expose('status', { type: PrescriptionItemStatusEnum, description: 'Where the client stands with it.' }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note.' }),
    program: t.relation('program', { nullable: true, description: 'The program, when the item is a program.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the connection was made.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its status last changed.' }),
  }),
});

export const SocialPrescriptionNode = builder.prismaNode('SocialPrescription', {
  nullable: true,
  description: 'A social prescription: a referral to the site’s link worker, followed to its close.',
  id: { field: 'id' },
  fields: (t) => ({
    client: t.relation('client', { description: 'The client referred.' }),
    prescriber: t.relation('prescriber', { nullable: true, description: 'Who prescribed; null for a partner referral.' }),
    linkWorker: t.relation('linkWorker', { nullable: true, description: 'The link worker following the referral.' }),
    needs: t.expose('needs', { type: [NeedEnum], description: 'Needs the prescription addresses.' }),
    supportLevel: t.expose('supportLevel', { type: SupportLevelEnum, description: 'Support level.' }),
    goals: t.exposeStringList('goals', { description: 'Goals co-created with the client.' }),
    interests: t.exposeStringList('interests', { description: 'The client’s interests.' }),
    gifts: t.exposeStringList('gifts', { description: 'The client’s gifts to share.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Free-text notes.' }),
    source: t.expose('source', { type: ReferralSourceEnum, description: 'Where the referral came from.' }),
    referringPartner: t.relation('referringPartner', { nullable: true, description: 'The partner that referred, for a partner referral.' }),
    status: t.expose('status', { type: ReferralStatusEnum, description: 'Closed-loop status.' }),
    outcome: t.expose('outcome', { type: ReferralOutcomeEnum, nullable: true, description: 'How it turned out, once ended.' }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: 'Why the status was last set (for example why it was rejected).' }),
    referredAt: t.expose('referredAt', { type: 'DateTime', description: 'When the referral was made.' }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true, description: 'When it ended.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    events: t.relation('events', {
      description: 'The full history, oldest first.',
      query: { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    }),
    items: t.relation('items', {
      description: 'Programs and assets the client was connected to.',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

builder.queryField('socialPrescriptions', (t) =>
  t.prismaConnection({
    type: 'SocialPrescription',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description: 'Social prescriptions of your site, newest first.',
    args: {
      status: t.arg({ type: [ReferralStatusEnum], required: false, description: 'Only these statuses.' }),
      supportLevel: t.arg({ type: SupportLevelEnum, required: false, description: 'Only this support level.' }),
      need: t.arg({ type: NeedEnum, required: false, description: 'Only prescriptions addressing this need.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.socialPrescription.findMany({
        ...query,
        where: {
          ...(args.status?.length ? { status: { in: args.status } } : {}),
          ...(args.supportLevel ? { supportLevel: args.supportLevel } : {}),
          ...(args.need ? { needs: { has: args.need } } : {}),
        },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

const textList = z.array(z.string().trim().min(1, 'must not be empty').max(500)).max(20);
const createSchema = z.object({
  clientId: z.string(),
  prescriberId: z.string().nullish(),
  linkWorkerId: z.string().nullish(),
  needs: z.array(z.string()).min(1, 'name at least one need'),
  supportLevel: z.string(),
  goals: textList.nullish(),
  interests: textList.nullish(),
  gifts: textList.nullish(),
  notes: z.string().max(4000).nullish(),
  programIds: z.array(z.string()).max(20).nullish(),
  status: z.enum(['DRAFT', 'REQUESTED'], 'a new prescription starts as DRAFT or REQUESTED').nullish(),
});

const CreateSocialPrescriptionInput = builder.inputType('CreateSocialPrescriptionInput', {
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
});

builder.mutationField('createSocialPrescription', (t) =>
  t.prismaField({
    type: 'SocialPrescription',
    description: 'Makes a social prescription for a client of your site.',
    args: { input: t.arg({ type: CreateSocialPrescriptionInput, required: true, description: 'The prescription.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = validate(createSchema, args.input);
      const principal = ctx.principal as StaffPrincipal;
      const db = ctx.db;
      const clientId = idOf(input.clientId, 'Client', 'input.clientId');
      // Another site's ids are invisible under row-level security: they read as not found.
      const client = await db.client.findUnique({ where: { id: clientId }, select: { id: true } });
      if (!client) throw notFound('Client');

      const caller = await findCallerStaffRecord(db, principal.subject);
      let prescriberId: string | null = null;
      if (input.prescriberId) {
        prescriberId = idOf(input.prescriberId, 'StaffMember', 'input.prescriberId');
        const prescriber = await db.staffMember.findUnique({ where: { id: prescriberId }, select: { roles: true } });
        if (!prescriber) throw notFound('Prescriber');
        if (!prescriber.roles.includes('PRESCRIBER')) throw badUserInput([{ field: 'input.prescriberId', message: 'is not a prescriber' }]);
      } else if (caller?.roles.includes('PRESCRIBER')) {
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
          needs: args.input.needs,
          supportLevel: args.input.supportLevel,
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
      const actor = { tenantId: principal.tenantId, prescriptionId: prescription.id, actorSubject: principal.subject, actorKind: 'STAFF' as const, actorStaffId: caller?.id ?? null };
      await db.prescriptionEvent.createMany({
        data: [
          { ...actor, kind: 'CREATED', toStatus: status },
          ...(linkWorkerId ? [{ ...actor, kind: 'LINK_WORKER_ASSIGNED' as const, assignedStaffId: linkWorkerId }] : []),
          ...items.map((item) => ({ ...actor, kind: 'ITEM_ADDED' as const, itemId: item.id, toItemStatus: 'SUGGESTED' as const })),
        ],
      });
      return db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: prescription.id } });
    },
  }),
);

export const prescriptionPermissions: PermissionMap = {
  Query: { socialPrescriptions: readsClientPhi },
  Mutation: { createSocialPrescription: hasSiteRole('PRESCRIBER', 'LINK_WORKER') },
  SocialPrescription: readsClientPhi,
  PrescriptionEvent: readsClientPhi,
  PrescriptionItem: readsClientPhi,
  QuerySocialPrescriptionsConnection: allow,
  QuerySocialPrescriptionsConnectionEdge: allow,
};
