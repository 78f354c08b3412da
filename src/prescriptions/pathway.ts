// The referral pathway as site staff run it: status changes along the state machine
// (status-machine.ts), the link worker's steps, assignment, and edits of the prescription.
// Each writes the prescription only if unchanged since read, and appends to its history.
import { z } from 'zod';
import { phiWrite } from '../privacy/marking.js';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import { badUserInput, invalidTransition, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { ContactResult, PrescriptionActionKind, ReferralOutcome, ReferralStatus, StatusReasonCode, SupportLevel } from '../generated/prisma/enums.js';
import { appendEvents, changeStatus, checkOpen, checkVersion, findPrescription, saveIfUnchanged } from './changes.js';
import { allowsOutcome, requiresOutcome, staffSides, transitionProblem } from './status-machine.js';
import { textList } from './social-prescription.js';
import { requiresReasonCode } from './status-reasons.js';
import { StatusReasonCodeEnum } from './status-reason-type.js';
import { NeedEnum, referredNeeds } from '../shared/vocabulary.js';
import { ContactResultEnum, PrescriptionActionKindEnum, ReferralOutcomeEnum, ReferralStatusEnum, SupportLevelEnum } from './enums.js';

const note = z.string().trim().min(1, 'must not be empty').max(4000).nullish();

const transitionSchema = z
  .object({
    id: z.string(),
    to: z.enum(ReferralStatus),
    outcome: z.enum(ReferralOutcome).nullish(),
    reasonCode: z.enum(StatusReasonCode).nullish(),
    reason: z.string().trim().min(1, 'must not be empty').max(1000).nullish(),
    note,
    expectedVersion: z.number().int().nullish(),
  })
  .superRefine((input, problems) => {
    const { to } = input;
    if (requiresOutcome(to) && !input.outcome) problems.addIssue({ code: 'custom', path: ['outcome'], message: `is required to set ${to}` });
    if (!allowsOutcome(to) && input.outcome)
      problems.addIssue({ code: 'custom', path: ['outcome'], message: 'is only recorded when a referral ends (REJECTED, COMPLETED, FAILED, CANCELLED)' });
    if (requiresReasonCode(to) && !input.reasonCode) problems.addIssue({ code: 'custom', path: ['reasonCode'], message: `is required to set ${to}` });
    if (!requiresReasonCode(to) && input.reasonCode)
      problems.addIssue({ code: 'custom', path: ['reasonCode'], message: 'is only recorded for REJECTED, CANCELLED and FAILED' });
  });

const TransitionSocialPrescriptionInput = builder
  .inputType('TransitionSocialPrescriptionInput', {
    description:
      'A move along the referral pathway (the FHIR SDOH referral Task statuses). The referring side (prescribers) sets REQUESTED, CANCELLED and ENTERED_IN_ERROR; the receiving side (link workers) sets ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD, COMPLETED and FAILED. A move the pathway does not allow, or that your side may not make, answers INVALID_TRANSITION saying why.',
    fields: (t) => ({
      id: t.id({ required: true, description: 'The social prescription.' }),
      to: t.field({ type: ReferralStatusEnum, required: true, description: 'The new status.' }),
      outcome: t.field({
        type: ReferralOutcomeEnum,
        description: 'How it turned out: required for COMPLETED and FAILED, allowed for REJECTED and CANCELLED, not otherwise.',
      }),
      reasonCode: t.field({
        type: StatusReasonCodeEnum,
        description: 'Why, coded: required for REJECTED, CANCELLED and FAILED, not allowed otherwise; the referring partner sees it.',
      }),
      reason: t.string({ description: 'Why, in words (for example why it is on hold); kept as the status reason text and in the history.' }),
      note: t.string({ description: 'Free-text note for the history.' }),
      expectedVersion: t.int({ description: 'The version you read; a stale one answers CONFLICT.' }),
    }),
  })
  .validate(transitionSchema);

builder.mutationField('transitionSocialPrescription', (t) =>
  t.prismaField({
    authz: 'movePrescriptions',
    extensions: phiWrite('REFERRAL'),
    type: 'SocialPrescription',
    description:
      'Moves a referral of your site to a new status (prescribers for the referring side, link workers for the receiving side). ENTERED_IN_ERROR replaces deletion.',
    args: { input: t.arg({ type: TransitionSocialPrescriptionInput, required: true, description: 'The move.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const current = await findPrescription(ctx.db, { id: idOf(input.id, 'SocialPrescription', 'input.id') });
      checkVersion(current, input.expectedVersion);
      const problem = transitionProblem(current.status, input.to, staffSides(principalFor(ctx, 'movePrescriptions').roles));
      if (problem) throw invalidTransition(problem);
      await changeStatus(ctx, current, input.to, {
        outcome: input.outcome ?? null,
        reasonCode: input.reasonCode ?? null,
        reason: input.reason ?? null,
        note: input.note ?? null,
      });
      return ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);

const actionSchema = z
  .object({
    prescriptionId: z.string(),
    action: z.enum(PrescriptionActionKind),
    contactResult: z.enum(ContactResult).nullish(),
    goals: textList.nullish(),
    note,
  })
  .superRefine((input, problems) => {
    const contact = input.action === 'CONTACT_ATTEMPT';
    if (contact && !input.contactResult) problems.addIssue({ code: 'custom', path: ['contactResult'], message: 'is required for a contact attempt' });
    if (!contact && input.contactResult) problems.addIssue({ code: 'custom', path: ['contactResult'], message: 'is only recorded for a contact attempt' });
    if (input.goals?.length && input.action !== 'GOAL_SETTING')
      problems.addIssue({ code: 'custom', path: ['goals'], message: 'are only added with GOAL_SETTING' });
  });

const RecordPrescriptionActionInput = builder
  .inputType('RecordPrescriptionActionInput', {
    description: 'A step the link worker took with the client.',
    fields: (t) => ({
      prescriptionId: t.id({ required: true, description: 'The social prescription.' }),
      action: t.field({ type: PrescriptionActionKindEnum, required: true, description: 'The step.' }),
      contactResult: t.field({ type: ContactResultEnum, description: 'Required for CONTACT_ATTEMPT, not allowed otherwise.' }),
      goals: t.stringList({ description: 'For GOAL_SETTING only: goals to add to the prescription.' }),
      note: t.string({ description: 'Free-text note.' }),
    }),
  })
  .validate(actionSchema);

builder.mutationField('recordPrescriptionAction', (t) =>
  t.prismaField({
    authz: 'followUpPrescriptions',
    extensions: phiWrite('REFERRAL'),
    type: 'SocialPrescription',
    description: 'Records a link worker’s step on an open referral of your site (link workers). Goal setting may add goals.',
    args: { input: t.arg({ type: RecordPrescriptionActionInput, required: true, description: 'The step.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const current = await findPrescription(ctx.db, { id: idOf(input.prescriptionId, 'SocialPrescription', 'input.prescriptionId') });
      checkOpen(current);
      const goals = input.goals ?? [];
      if (goals.length) await saveIfUnchanged(ctx.db, current, { goals: [...current.goals, ...goals] });
      await appendEvents(ctx, current, [
        {
          kind: 'ACTION_RECORDED',
          action: input.action,
          contactResult: input.contactResult ?? null,
          note: input.note ?? (goals.length ? goals.join('\n') : null),
        },
      ]);
      return ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);

const assignSchema = z.object({ prescriptionId: z.string(), linkWorkerId: z.string(), expectedVersion: z.number().int().nullish() });

const AssignLinkWorkerInput = builder
  .inputType('AssignLinkWorkerInput', {
    description: 'The link worker to follow a referral.',
    fields: (t) => ({
      prescriptionId: t.id({ required: true, description: 'The social prescription.' }),
      linkWorkerId: t.id({ required: true, description: 'A link worker of your site (a StaffMember).' }),
      expectedVersion: t.int({ description: 'The version you read; a stale one answers CONFLICT.' }),
    }),
  })
  .validate(assignSchema);

builder.mutationField('assignLinkWorker', (t) =>
  t.prismaField({
    authz: 'prescribe',
    extensions: phiWrite('REFERRAL'),
    type: 'SocialPrescription',
    description: 'Assigns a link worker of your site to an open referral (link workers and prescribers).',
    args: { input: t.arg({ type: AssignLinkWorkerInput, required: true, description: 'The referral and the link worker.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const prescriptionId = idOf(input.prescriptionId, 'SocialPrescription', 'input.prescriptionId');
      const linkWorkerId = idOf(input.linkWorkerId, 'StaffMember', 'input.linkWorkerId');
      const current = await findPrescription(ctx.db, { id: prescriptionId });
      checkVersion(current, input.expectedVersion);
      checkOpen(current);
      // Another site's staff are invisible under row-level security.
      const linkWorker = await ctx.db.staffMember.findUnique({ where: { id: linkWorkerId }, select: { roles: true, active: true } });
      if (!linkWorker) throw notFound('Link worker');
      if (!linkWorker.roles.includes('LINK_WORKER')) throw badUserInput([{ field: 'input.linkWorkerId', message: 'is not a link worker' }]);
      if (!linkWorker.active) throw badUserInput([{ field: 'input.linkWorkerId', message: 'no longer works at the site' }]);
      if (current.linkWorkerId !== linkWorkerId) {
        await saveIfUnchanged(ctx.db, current, { linkWorkerId });
        await appendEvents(ctx, current, [{ kind: 'LINK_WORKER_ASSIGNED', assignedStaffId: linkWorkerId }]);
      }
      return ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);

const updateSchema = z.object({
  id: z.string(),
  expectedVersion: z.number().int(),
  // null leaves them as they are, like a field left out: neither can be cleared.
  needs: referredNeeds.nullish().transform((needs) => needs ?? undefined),
  supportLevel: z
    .enum(SupportLevel)
    .nullish()
    .transform((level) => level ?? undefined),
  goals: textList.optional(),
  interests: textList.optional(),
  gifts: textList.optional(),
  notes: z.string().max(4000).nullish(),
});

const UpdateSocialPrescriptionInput = builder
  .inputType('UpdateSocialPrescriptionInput', {
    description: 'Changes to an open social prescription. Fields left out stay as they are.',
    fields: (t) => ({
      id: t.id({ required: true, description: 'The social prescription.' }),
      expectedVersion: t.int({ required: true, description: 'The version you read; a stale one answers CONFLICT.' }),
      needs: t.field({ type: [NeedEnum], description: 'Needs it addresses (at least one).' }),
      supportLevel: t.field({ type: SupportLevelEnum, description: 'Support level.' }),
      goals: t.stringList({ description: 'Goals co-created with the client (replaces the list).' }),
      interests: t.stringList({ description: 'The client’s interests (replaces the list).' }),
      gifts: t.stringList({ description: 'The client’s gifts to share (replaces the list).' }),
      notes: t.string({ description: 'Free-text notes; null clears them.' }),
    }),
  })
  .validate(updateSchema);

builder.mutationField('updateSocialPrescription', (t) =>
  t.prismaField({
    authz: 'prescribe',
    extensions: phiWrite('REFERRAL'),
    type: 'SocialPrescription',
    description: 'Edits an open social prescription of your site (prescribers and link workers).',
    args: { input: t.arg({ type: UpdateSocialPrescriptionInput, required: true, description: 'The changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, ...changes } = args.input;
      const current = await findPrescription(ctx.db, { id: idOf(id, 'SocialPrescription', 'input.id') });
      checkVersion(current, expectedVersion);
      checkOpen(current);
      const data = changes;
      await saveIfUnchanged(ctx.db, current, data);
      const changedFields = Object.keys(data)
        .filter((field) => data[field as keyof typeof data] !== undefined)
        .sort();
      await appendEvents(ctx, current, [{ kind: 'DETAILS_UPDATED', changedFields }]);
      return ctx.db.socialPrescription.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);
