// Outcome assessments: a client's answers to a standard instrument at baseline and follow-ups.
// Personal health information: site staff in a clinical or data role, own site only.
import { z } from 'zod';
import type { Instrument, TimePoint } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import { describedEnum } from '../graphql/described-enum.js';
import { inputRules, notFuture } from '../graphql/validation.js';
import { badUserInput, conflict, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { oneLine } from '../shared/fields.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import { ClientNode } from '../clients/client.js';
import { SocialPrescriptionNode } from '../prescriptions/social-prescription.js';
import { clientRecord, nonIdentifying, phi, phiWrite } from '../privacy/marking.js';
import { notLockedFromCaller } from '../privacy/lock-filter.js';
import { instruments, isLonely, itemsSchema, scoreInstrument } from './instruments.js';
import { isUniqueViolation } from '../db/errors.js';
import type { RequestDb } from '../db/request-scope.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionOf } from '../graphql/connections.js';
import { staffById } from '../prescriptions/prescription-event.js';
import { StaffMemberNode } from '../staff/staff-member.js';
import { checkSaved, checkVersion, nextVersion, versionedChange, versionedChangeFields } from '../shared/versions.js';

export const InstrumentEnum = describedEnum<Instrument>(
  'Instrument',
  'A standard outcome instrument of the evaluation; items are answered in the order given.',
  Object.fromEntries(Object.entries(instruments).map(([name, definition]) => [name, definition.description])) as Record<Instrument, string>,
);

export const TimePointEnum = describedEnum<TimePoint>('TimePoint', 'When in the client’s journey an assessment was made.', {
  BASELINE: 'At the start, when the client engages with the link worker.',
  MONTH_3: 'About three months after baseline.',
  MONTH_6: 'About six months after baseline.',
  CUSTOM: 'Another moment, named by timePointLabel (for example "Program end").',
});

export const OutcomeAssessmentNode = builder.prismaNode('OutcomeAssessment', {
  authz: 'readEvaluation',
  nullable: true,
  description: 'A client’s answers to one standard instrument at one time point, with its score. Lock-box category ASSESSMENTS.',
  extensions: clientRecord<{ tenantId: string; clientId: string }>((a) => ({ tenantId: a.tenantId, clientId: a.clientId })),
  id: { field: 'id' },
  fields: (t) => {
    // Everything but the links is withheld (null) when the client has lock-boxed their assessments.
    const assessment = { nullable: true, extensions: phi('ASSESSMENTS') } as const;
    return {
      client: t.relation('client', { description: 'The client assessed.', extensions: phi('IDENTITY') }),
      prescription: t.relation('prescription', { nullable: true, description: 'The social prescription it evaluates, if any.', extensions: phi('REFERRAL') }),
      instrument: t.expose('instrument', { ...assessment, type: InstrumentEnum, description: 'The instrument answered.' }),
      timePoint: t.expose('timePoint', { ...assessment, type: TimePointEnum, description: 'When in the client’s journey.' }),
      timePointLabel: t.exposeString('timePointLabel', { ...assessment, description: 'Name of a CUSTOM time point.' }),
      items: t.exposeIntList('items', { ...assessment, description: 'The answers, in the instrument’s item order.' }),
      score: t.exposeFloat('score', { ...assessment, description: 'The instrument’s total; null for ONS4, which is never summed.' }),
      metricScore: t.exposeFloat('metricScore', { ...assessment, description: 'SWEMWBS only: the raw total converted to the published metric score.' }),
      lonely: t.boolean({
        ...assessment,
        description: 'UCLA loneliness only: whether the total (6 or more) counts as lonely; null for other instruments.',
        resolve: (a) => isLonely(a.instrument, a.score),
      }),
      assessedAt: t.expose('assessedAt', { ...assessment, type: 'Date', description: 'The day the client answered.' }),
      enteredBy: t.relation('enteredBy', { ...assessment, description: 'The staff member who entered it.' }),
      createdAt: t.expose('createdAt', { ...assessment, type: 'DateTime', description: 'When it was entered.' }),
      version: t.exposeInt('version', { description: 'Increases with every amendment; send it back to amend.', extensions: nonIdentifying }),
      revisions: t.relation('revisions', {
        ...assessment,
        description: 'The values it had before each amendment, oldest first, with who amended it, when and why.',
        query: { orderBy: { version: 'asc' } },
      }),
    };
  },
});

builder.prismaObject('OutcomeAssessmentRevision', {
  authz: 'readEvaluation',
  description: 'The values an outcome assessment had before an amendment. Never changed or removed.',
  extensions: clientRecord<{ tenantId: string; clientId: string }>((r) => ({ tenantId: r.tenantId, clientId: r.clientId })),
  fields: (t) => {
    const revision = { nullable: true, extensions: phi('ASSESSMENTS') } as const;
    return {
      version: t.exposeInt('version', { ...revision, description: 'The version of the assessment these values were.' }),
      timePointLabel: t.exposeString('timePointLabel', { ...revision, description: 'Name of a CUSTOM time point, as it was.' }),
      items: t.exposeIntList('items', { ...revision, description: 'The answers, as they were.' }),
      score: t.exposeFloat('score', { ...revision, description: 'The total, as it was.' }),
      metricScore: t.exposeFloat('metricScore', { ...revision, description: 'SWEMWBS only: the metric score, as it was.' }),
      assessedAt: t.expose('assessedAt', { ...revision, type: 'Date', description: 'The day, as it was.' }),
      reason: t.exposeString('reason', { ...revision, description: 'Why it was amended.' }),
      amendedBySubject: t.exposeString('amendedBySubject', { ...revision, description: 'Who amended it (token subject).' }),
      amendedBy: t.field({
        ...revision,
        type: StaffMemberNode,
        description: 'The staff member who amended it.',
        resolve: (r, _args, ctx) => (r.amendedByStaffId ? staffById(ctx).load(r.amendedByStaffId) : null),
      }),
      amendedAt: t.expose('amendedAt', { ...revision, type: 'DateTime', description: 'When it was amended.' }),
    };
  },
});

const newestFirst = [{ assessedAt: 'desc' as const }, { id: 'desc' as const }];

export const OutcomeAssessmentConnection = connectionOf(OutcomeAssessmentNode, 'OutcomeAssessment');

type AssessmentFilter = { clientId?: string | null; prescriptionId?: string | null; instrument?: Instrument | null; timePoint?: TimePoint | null };

const assessmentsWhere = async (args: AssessmentFilter, ctx: GraphQLContext) => ({
  ...(await notLockedFromCaller(ctx, 'ASSESSMENTS')),
  ...(args.clientId ? { clientId: idOf(args.clientId, 'Client', 'clientId') } : {}),
  ...(args.prescriptionId ? { prescriptionId: idOf(args.prescriptionId, 'SocialPrescription', 'prescriptionId') } : {}),
  ...(args.instrument ? { instrument: args.instrument } : {}),
  ...(args.timePoint ? { timePoint: args.timePoint } : {}),
});

builder.queryField('outcomeAssessments', (t) =>
  t.prismaConnection(
    {
      authz: 'readEvaluation',
      type: 'OutcomeAssessment',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Outcome assessments of your site’s clients, newest first; those of clients who lock-boxed their assessments from you are left out.',
      args: {
        clientId: t.arg.id({ required: false, description: 'Only this client’s.' }),
        prescriptionId: t.arg.id({ required: false, description: 'Only those evaluating this prescription.' }),
        instrument: t.arg({ type: InstrumentEnum, required: false, description: 'Only this instrument.' }),
        timePoint: t.arg({ type: TimePointEnum, required: false, description: 'Only this time point.' }),
      },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.outcomeAssessment.findMany({ ...query, where: await assessmentsWhere(args, ctx), orderBy: newestFirst }),
      totalCount: async (_root, args, ctx) => ctx.db.outcomeAssessment.count({ where: await assessmentsWhere(args, ctx) }),
    },
    OutcomeAssessmentConnection,
  ),
);

builder.prismaObjectField(ClientNode, 'assessments', (t) =>
  t.relatedConnection(
    'assessments',
    {
      cursor: 'id',
      maxSize: 100,
      nullable: true,
      description: 'This client’s outcome assessments, newest first; null when lock-boxed from you.',
      extensions: phi('ASSESSMENTS'),
      totalCount: true,
      query: () => ({ orderBy: newestFirst }),
    },
    OutcomeAssessmentConnection,
  ),
);

builder.prismaObjectField(SocialPrescriptionNode, 'assessments', (t) =>
  t.relatedConnection(
    'assessments',
    {
      cursor: 'id',
      maxSize: 100,
      nullable: true,
      description: 'Outcome assessments evaluating this prescription, newest first; null when lock-boxed from you.',
      extensions: phi('ASSESSMENTS'),
      totalCount: true,
      query: () => ({ orderBy: newestFirst }),
    },
    OutcomeAssessmentConnection,
  ),
);

/** The assessment already recorded for this prescription, instrument and time point, if any (never for CUSTOM). */
async function recordedAlready(db: RequestDb, key: { prescriptionId: string | null; instrument: Instrument; timePoint: TimePoint }) {
  if (!key.prescriptionId || key.timePoint === 'CUSTOM') return null;
  return db.outcomeAssessment.findFirst({ where: { ...key, prescriptionId: key.prescriptionId }, select: { id: true } });
}

const alreadyRecorded = (instrument: Instrument, timePoint: TimePoint) =>
  conflict(`This prescription already has a ${timePoint} ${instrument} assessment: correct it with amendOutcomeAssessment`);

type AssessmentRules = { instrument: Instrument; timePoint: TimePoint; timePointLabel?: string | null; items: number[] };

const RecordOutcomeAssessmentInput = builder.inputType('RecordOutcomeAssessmentInput', {
  description: 'A client’s answers to one instrument at one time point.',
  fields: (t) => ({
    clientId: t.id({ required: true, description: 'The client assessed.' }),
    prescriptionId: t.id({ description: 'The client’s social prescription it evaluates, if any.' }),
    instrument: t.field({ type: InstrumentEnum, required: true, description: 'The instrument answered.' }),
    timePoint: t.field({ type: TimePointEnum, required: true, description: 'When in the client’s journey.' }),
    timePointLabel: t.string({ description: 'Names a CUSTOM time point; required for it, and only for it.' }),
    items: t.intList({ required: true, description: 'The answers, one per item in the instrument’s order.' }),
    assessedAt: t.field({ type: 'Date', required: true, description: 'The day the client answered.' }),
  }),
  validate: inputRules(
    { timePointLabel: oneLine(z.string().trim().min(1, 'must not be empty').max(100)).nullish(), assessedAt: notFuture },
    // The items' count and range depend on the instrument.
    (input: AssessmentRules, issues) => {
      for (const issue of itemsSchema(input.instrument).safeParse(input.items).error?.issues ?? []) {
        issues.addIssue({ code: 'custom', path: ['items', ...issue.path], message: issue.message });
      }
      const custom = input.timePoint === 'CUSTOM';
      if (custom !== !!input.timePointLabel) {
        const message = custom ? 'is required for a CUSTOM time point' : 'is only for a CUSTOM time point';
        issues.addIssue({ code: 'custom', path: ['timePointLabel'], message });
      }
    },
  ),
});

builder.mutationField('recordOutcomeAssessment', (t) =>
  t.prismaField({
    authz: 'recordOutcomes',
    type: 'OutcomeAssessment',
    description: 'Records a client’s answers to an outcome instrument and scores them.',
    extensions: phiWrite('ASSESSMENTS'),
    args: { input: t.arg({ type: RecordOutcomeAssessmentInput, required: true, description: 'The assessment.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const { instrument } = input;
      const principal = principalFor(ctx, 'recordOutcomes');
      const clientId = idOf(input.clientId, 'Client', 'input.clientId');
      const prescriptionId = input.prescriptionId ? idOf(input.prescriptionId, 'SocialPrescription', 'input.prescriptionId') : null;
      // Another site's ids are invisible under row-level security: they read as not found.
      const client = await ctx.db.client.findUnique({ where: { id: clientId }, select: { id: true } });
      if (!client) throw notFound('Client');
      if (prescriptionId) {
        const prescription = await ctx.db.socialPrescription.findUnique({ where: { id: prescriptionId }, select: { clientId: true } });
        if (!prescription) throw notFound('Social prescription');
        if (prescription.clientId !== clientId) {
          throw badUserInput([{ field: 'input.prescriptionId', message: 'is not a prescription of this client' }]);
        }
      }
      if (await recordedAlready(ctx.db, { prescriptionId, instrument, timePoint: input.timePoint })) throw alreadyRecorded(instrument, input.timePoint);
      const caller = await findCallerStaffRecord(ctx);
      // Two at once: the unique index refuses the second, which then reads as the same CONFLICT.
      const created = await ctx.db.outcomeAssessment
        .create({
          data: {
            tenantId: principal.tenantId,
            clientId,
            prescriptionId,
            instrument,
            timePoint: input.timePoint,
            timePointLabel: input.timePointLabel ?? null,
            items: input.items,
            ...scoreInstrument(instrument, input.items),
            assessedAt: input.assessedAt,
            enteredById: caller?.id ?? null,
          },
          select: { id: true },
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? alreadyRecorded(instrument, input.timePoint) : error;
        });
      return ctx.db.outcomeAssessment.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),
);

const amendSchema = z.object({
  ...versionedChange,
  items: z.array(z.number().int()).nullish(),
  assessedAt: notFuture.nullish(),
  timePointLabel: z.string().trim().min(1, 'must not be empty').max(100).nullish(),
  reason: z.string().trim().min(1, 'must not be empty').max(1000),
});

const AmendOutcomeAssessmentInput = builder
  .inputType('AmendOutcomeAssessmentInput', {
    description:
      'A correction of a recorded assessment. The values it replaces are kept as a revision; instrument, time point, client and prescription stay as recorded.',
    fields: (t) => ({
      ...versionedChangeFields(t, 'outcome assessment'),
      items: t.intList({ description: 'The corrected answers, one per item in the instrument’s order.' }),
      assessedAt: t.field({ type: 'Date', description: 'The corrected day the client answered.' }),
      timePointLabel: t.string({ description: 'The corrected name of a CUSTOM time point (only for CUSTOM).' }),
      reason: t.string({ required: true, description: 'Why it is corrected; kept with the revision.' }),
    }),
  })
  .validate(amendSchema);

builder.mutationField('amendOutcomeAssessment', (t) =>
  t.prismaField({
    authz: 'recordOutcomes',
    type: 'OutcomeAssessment',
    description: 'Corrects a recorded outcome assessment of your site; the values it replaces stay readable as its revisions.',
    extensions: phiWrite('ASSESSMENTS'),
    args: { input: t.arg({ type: AmendOutcomeAssessmentInput, required: true, description: 'The correction.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const principal = principalFor(ctx, 'recordOutcomes');
      // Another site's ids are invisible under row-level security: they read as not found.
      const current = await ctx.db.outcomeAssessment.findUnique({ where: { id: idOf(input.id, 'OutcomeAssessment', 'input.id') } });
      if (!current) throw notFound('Outcome assessment');
      checkVersion('outcome assessment', current, input.expectedVersion);
      const problems = [
        ...(itemsSchema(current.instrument).safeParse(input.items ?? current.items).error?.issues ?? []).map((issue) => ({
          field: ['input.items', ...issue.path].join('.'),
          message: issue.message,
        })),
        ...(input.timePointLabel && current.timePoint !== 'CUSTOM' ? [{ field: 'input.timePointLabel', message: 'is only for a CUSTOM time point' }] : []),
      ];
      if (problems.length) throw badUserInput(problems);
      const items = input.items ?? current.items;
      const caller = await findCallerStaffRecord(ctx);
      await ctx.db.outcomeAssessmentRevision.create({
        data: {
          tenantId: principal.tenantId,
          assessmentId: current.id,
          clientId: current.clientId,
          version: current.version,
          timePointLabel: current.timePointLabel,
          items: current.items,
          score: current.score,
          metricScore: current.metricScore,
          assessedAt: current.assessedAt,
          enteredById: current.enteredById,
          reason: input.reason,
          amendedBySubject: principal.subject,
          amendedByStaffId: caller?.id ?? null,
        },
      });
      checkSaved(
        'outcome assessment',
        await ctx.db.outcomeAssessment.updateMany({
          where: { id: current.id, version: input.expectedVersion },
          data: nextVersion({
            items,
            ...scoreInstrument(current.instrument, items),
            ...(input.assessedAt ? { assessedAt: input.assessedAt } : {}),
            ...(input.timePointLabel ? { timePointLabel: input.timePointLabel } : {}),
          }),
        }),
      );
      return ctx.db.outcomeAssessment.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);
