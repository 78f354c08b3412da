// Lock-box: a client may lock categories of their record from all but named staff. Whoever else
// would have read a locked field gets null, and `withheld` on the object says what was held back.
import { z } from 'zod';
import type { RecordCategory } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import { notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { clientRecord, phi, phiWrite, type RecordSubject } from './marking.js';
import { StaffMemberNode } from '../staff/staff-member.js';

export const RecordCategoryEnum = describedEnum<RecordCategory>('RecordCategory', 'A part of a client’s record that can be lock-boxed.', {
  CONTACT: 'Phone, email and postal code.',
  SOCIODEMOGRAPHICS: 'Self-identified sociodemographics.',
  NOTES: 'Free-text notes.',
  ASSESSMENTS: 'Outcome assessments.',
  UTILIZATION: 'Primary-care and emergency visit records.',
});

builder.prismaNode('ClientLock', {
  authz: 'readClients',
  nullable: true,
  id: { field: 'id' },
  description: 'A lock-box directive on one category of a client’s record.',
  extensions: clientRecord<{ tenantId: string; clientId: string }>((l) => ({ tenantId: l.tenantId, clientId: l.clientId })),
  fields: (t) => ({
    category: t.expose('category', { type: RecordCategoryEnum, description: 'The category locked.', extensions: phi('CONSENT') }),
    allowedStaff: t.field({
      type: [StaffMemberNode],
      description: 'The staff who may still see it.',
      extensions: phi('CONSENT'),
      resolve: (lock, _args, ctx) => ctx.db.staffMember.findMany({ where: { id: { in: lock.allowedStaffIds } }, orderBy: { id: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was made.', extensions: phi('CONSENT') }),
    releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true, description: 'When it was released, if it was.', extensions: phi('CONSENT') }),
  }),
});

builder.prismaObjectField('Client', 'locks', (t) =>
  t.relation('locks', {
    description: 'Lock-box directives of this client, newest first.',
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    extensions: phi('CONSENT'),
  }),
);
type Row = { tenantId: string; id: string; clientId: string; prescriptionId: string };

/** Adds `withheld` to a type of a client's record: the lock-boxed categories this caller does not see. */
function addWithheld(
  type: 'Client' | 'SocialPrescription' | 'PrescriptionEvent' | 'OutcomeAssessment' | 'UtilizationRecord',
  subjectOf: (row: Row) => RecordSubject,
) {
  builder.prismaObjectField(
    type,
    'withheld',
    (t) =>
      t.stringList({
        description: 'Parts of this record withheld from you by the client’s lock-box (RecordCategory values); their fields read as null.',
        // That a client locked part of their record is their consent directive: reading it is audited.
        extensions: phi('CONSENT'),
        resolve: (row, _args, ctx) => ctx.privacy.withheldFrom(ctx, subjectOf(row as unknown as Row)),
        // With a union of models plugin-prisma expects core's FieldRef class, which lacks the validation plugin's `validate`.
      }) as never,
  );
}

addWithheld('Client', (c) => ({ tenantId: c.tenantId, clientId: c.id }));
addWithheld('SocialPrescription', (p) => ({ tenantId: p.tenantId, clientId: p.clientId }));
addWithheld('PrescriptionEvent', (e) => ({ tenantId: e.tenantId, prescriptionId: e.prescriptionId }));
addWithheld('OutcomeAssessment', (a) => ({ tenantId: a.tenantId, clientId: a.clientId }));
addWithheld('UtilizationRecord', (r) => ({ tenantId: r.tenantId, clientId: r.clientId }));

const LockClientRecordInput = builder.inputType('LockClientRecordInput', {
  description: 'A client’s request to lock part of their record.',
  fields: (t) => ({
    clientId: t.id({ required: true, description: 'The client.' }),
    category: t.field({ type: RecordCategoryEnum, required: true, description: 'The category to lock.' }),
    allowedStaffIds: t.idList({ description: 'Staff who may still see it (StaffMember ids of the site).' }),
  }),
  validate: inputRules({ allowedStaffIds: z.array(z.string()).max(50).nullish() }),
});

builder.mutationFields((t) => ({
  lockClientRecord: t.prismaField({
    authz: 'keepLockBox',
    type: 'ClientLock',
    description: 'Locks one category of a client’s record from all but the named staff.',
    args: { input: t.arg({ type: LockClientRecordInput, required: true, description: 'The lock.' }) },
    extensions: phiWrite('CONSENT'),
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const clientId = idOf(input.clientId, 'Client', 'input.clientId');
      const client = await ctx.db.client.findUnique({ where: { id: clientId }, select: { tenantId: true } });
      if (!client) throw notFound('Client');
      const allowedStaffIds = [...new Set((input.allowedStaffIds ?? []).map((id, i) => idOf(id, 'StaffMember', `input.allowedStaffIds.${i}`)))];
      if (allowedStaffIds.length && (await ctx.db.staffMember.count({ where: { id: { in: allowedStaffIds } } })) !== allowedStaffIds.length) {
        throw notFound('Staff member');
      }
      return ctx.db.clientLock.create({ ...query, data: { tenantId: client.tenantId, clientId, category: input.category, allowedStaffIds } });
    },
  }),
  releaseClientLock: t.prismaField({
    authz: 'keepLockBox',
    type: 'ClientLock',
    description: 'Releases a lock-box directive (it stays in the record, with its release time).',
    args: { lockId: t.arg.id({ required: true, description: 'The lock (ClientLock id).' }) },
    extensions: phiWrite('CONSENT'),
    resolve: async (query, _root, args, ctx) => {
      const id = idOf(String(args.lockId), 'ClientLock', 'lockId');
      const released = await ctx.db.clientLock.updateMany({ where: { id, releasedAt: null }, data: { releasedAt: new Date() } });
      if (released.count === 0) throw notFound('Lock');
      return ctx.db.clientLock.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
