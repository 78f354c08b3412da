// One entry of a prescription's history, as the site sees it. Partners see their own, narrower
// variant (partner-referral.ts).
import DataLoader from 'dataloader';
import { builder } from '../graphql/builder.js';
import { inKeyOrder, perRequest } from '../graphql/context.js';
import { StaffMemberNode } from '../staff/staff-member.js';
import { PrincipalKindEnum } from '../auth/viewer.js';
import { clientRecord, phi } from '../privacy/marking.js';
import {
  ContactResultEnum,
  PrescriptionActionKindEnum,
  PrescriptionEventKindEnum,
  PrescriptionItemStatusEnum,
  ReferralOutcomeEnum,
  ReferralStatusEnum,
} from './enums.js';
import { StatusReasonRef } from './status-reason-type.js';

// Events name staff by id only (no foreign key), so a page of histories loads them in one batch.
export const staffById = perRequest(
  (ctx) =>
    new DataLoader(async (ids: readonly string[]) => inKeyOrder(ids, await ctx.db.staffMember.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id)),
);

export const PrescriptionEventRef = builder.prismaObject('PrescriptionEvent', {
  authz: 'readPrescriptions',
  description: 'One entry of a prescription’s history. Never changed or removed.',
  extensions: clientRecord<{ tenantId: string; prescriptionId: string }>((e) => ({ tenantId: e.tenantId, prescriptionId: e.prescriptionId })),
  fields: (t) => ({
    kind: t.expose('kind', { type: PrescriptionEventKindEnum, description: 'What the entry records.', extensions: phi('REFERRAL') }),
    fromStatus: t.expose('fromStatus', {
      type: ReferralStatusEnum,
      nullable: true,
      description: 'Status before, for a status change.',
      extensions: phi('REFERRAL'),
    }),
    toStatus: t.expose('toStatus', {
      type: ReferralStatusEnum,
      nullable: true,
      description: 'Status after, for a status change or creation.',
      extensions: phi('REFERRAL'),
    }),
    outcome: t.expose('outcome', {
      type: ReferralOutcomeEnum,
      nullable: true,
      description: 'How the referral turned out, for the change that ended it.',
      extensions: phi('REFERRAL'),
    }),
    action: t.expose('action', {
      type: PrescriptionActionKindEnum,
      nullable: true,
      description: 'The link worker’s step, for a recorded action.',
      extensions: phi('REFERRAL'),
    }),
    contactResult: t.expose('contactResult', {
      type: ContactResultEnum,
      nullable: true,
      description: 'Result of a contact attempt.',
      extensions: phi('REFERRAL'),
    }),
    assignedStaff: t.field({
      type: StaffMemberNode,
      nullable: true,
      description: 'The link worker assigned, for a LINK_WORKER_ASSIGNED entry.',
      extensions: phi('REFERRAL'),
      resolve: (event, _args, ctx) => (event.assignedStaffId ? staffById(ctx).load(event.assignedStaffId) : null),
    }),
    itemId: t.globalID({
      nullable: true,
      description: 'Global id of the PrescriptionItem concerned, for ITEM_ADDED and ITEM_STATUS_CHANGED.',
      extensions: phi('REFERRAL'),
      resolve: (event) => (event.itemId ? { type: 'PrescriptionItem', id: event.itemId } : null),
    }),
    fromItemStatus: t.expose('fromItemStatus', {
      type: PrescriptionItemStatusEnum,
      nullable: true,
      description: 'The item’s status before, for ITEM_STATUS_CHANGED.',
      extensions: phi('REFERRAL'),
    }),
    toItemStatus: t.expose('toItemStatus', {
      type: PrescriptionItemStatusEnum,
      nullable: true,
      description: 'The item’s status after, for ITEM_ADDED and ITEM_STATUS_CHANGED.',
      extensions: phi('REFERRAL'),
    }),
    statusReason: t.field({
      type: StatusReasonRef,
      nullable: true,
      description: 'Why, coded, for a move to REJECTED, CANCELLED or FAILED (the free text is in note).',
      extensions: phi('REFERRAL'),
      resolve: (event) => event.statusReasonCode,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note, or the reason given for a status change.', extensions: phi('NOTES') }),
    changedFields: t.exposeStringList('changedFields', { description: 'The fields edited, for DETAILS_UPDATED.', extensions: phi('REFERRAL') }),
    actorSubject: t.exposeString('actorSubject', { description: 'Who made the change (token subject).', extensions: phi('REFERRAL') }),
    actorKind: t.expose('actorKind', { type: PrincipalKindEnum, description: 'Whether site staff or a partner made the change.', extensions: phi('REFERRAL') }),
    actorStaff: t.field({
      type: StaffMemberNode,
      nullable: true,
      description: 'The staff member who made the change, when site staff with a staff record did.',
      extensions: phi('REFERRAL'),
      resolve: (event, _args, ctx) => (event.actorStaffId ? staffById(ctx).load(event.actorStaffId) : null),
    }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.', extensions: phi('REFERRAL') }),
  }),
});
