// Implementation readiness: a site's answers to the 12-item Social Prescribing Implementation
// Readiness Checklist of the pilot's progress report. Organizational facts, no health information:
// every staff member of the site reads them, and the Alliance reads every site's.
import { z } from 'zod';
import type { ReadinessAnswer, ReadinessItem } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { describedEnum } from '../graphql/described-enum.js';
import { inputRules, notFuture } from '../graphql/validation.js';
import { frenchLabels } from '../shared/labels-fr.js';
import { requestLocale } from '../shared/locale.js';

/** The checklist's own questions, in its order. */
export const readinessQuestions: Record<ReadinessItem, string> = {
  EXECUTIVE_SUPPORT: 'Is there strong executive and management support for social prescribing?',
  PROVIDERS_UNDERSTAND_SDOH: 'Do your primary care providers understand the SDOH?',
  PROVIDERS_SEE_BENEFITS: 'Do your primary care providers see the potential benefits of social prescribing?',
  PROVIDERS_INTERESTED: 'Are your primary care providers interested in participating in social prescribing initiatives?',
  IMPLEMENTATION_TEAM: 'Is there a social prescribing implementation team, comprised of a role-diverse cross-section of staff?',
  DESIGNATED_LINK_WORKER: 'Do you have a designated staff to be the Link Worker?',
  HEALTH_CHAMPION_CAPACITY: 'Do you have staff capacity to support Health Champions?',
  INTERNAL_PROGRAMS: 'Do you have internal capacity to offer social and community supports (e.g. internal programs and activities)?',
  CONNECTED_TO_LOCAL_RESOURCES: 'Are you aware of, and connected to, resources in your area that provide social and community supports?',
  COMMUNITY_PARTNER_TABLE: 'Do you have an established community partner table or network?',
  CULTURE_OF_INNOVATION: 'Is there a culture of creative problem-solving and innovation at your organization?',
  DATA_COMMITMENT: 'Is there strong commitment to capturing data related to social and community-related indicators?',
};
const readinessItems = Object.keys(readinessQuestions) as ReadinessItem[];

export const ReadinessItemEnum = describedEnum<ReadinessItem>(
  'ReadinessItem',
  'One question of the Social Prescribing Implementation Readiness Checklist.',
  readinessQuestions,
);

export const ReadinessAnswerEnum = describedEnum<ReadinessAnswer>('ReadinessAnswer', 'A site’s answer to a readiness question.', {
  YES: 'Yes.',
  PARTLY: 'Partly: in place, but not yet enough.',
  NO: 'No.',
});

const ReadinessResponseRef = builder.prismaObject('ReadinessResponse', {
  authz: 'readReadiness',
  description: 'A site’s answer to one question of the readiness checklist.',
  fields: (t) => ({
    item: t.expose('item', { type: ReadinessItemEnum, description: 'The checklist item.' }),
    question: t.string({
      description: 'The checklist’s question, as worded in the progress report (in French where the request’s language is; see `locale`).',
      resolve: async (r, _args, ctx) => ((await requestLocale(ctx)) === 'fr' ? frenchLabels.ReadinessItem![r.item]! : readinessQuestions[r.item]),
    }),
    answer: t.expose('answer', { type: ReadinessAnswerEnum, description: 'Yes, partly or no.' }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note: strengths, gaps, plans.' }),
  }),
});

export const ReadinessAssessmentNode = builder.prismaNode('ReadinessAssessment', {
  authz: 'readReadiness',
  nullable: true,
  description: 'A site’s answers to the 12-item implementation readiness checklist on one day.',
  id: { field: 'id' },
  fields: (t) => ({
    site: t.relation('tenant', { description: 'The site assessed.' }),
    assessedOn: t.expose('assessedOn', { type: 'Date', description: 'The day the checklist was answered.' }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note on the assessment as a whole.' }),
    responses: t.relation('responses', {
      type: ReadinessResponseRef,
      description: 'The twelve answers, in the checklist’s order.',
      query: { orderBy: [{ item: 'asc' }, { id: 'asc' }] },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was recorded.' }),
  }),
});

export const ReadinessAssessmentConnection = connectionOf(ReadinessAssessmentNode, 'ReadinessAssessment');

const readinessWhere = (args: { site?: string | null }) => (args.site ? { tenantId: args.site } : undefined);

builder.queryField('readinessAssessments', (t) =>
  t.prismaConnection(
    {
      authz: 'readReadiness',
      type: 'ReadinessAssessment',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Readiness assessments, newest first: your site’s (site staff), or every site’s (Alliance staff).',
      args: { site: t.arg.string({ required: false, description: 'Only this site (slug, for example "guelph").' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.readinessAssessment.findMany({
          ...query,
          where: readinessWhere(args),
          orderBy: [{ assessedOn: 'desc' }, { id: 'desc' }],
        }),
      totalCount: (_root, args, ctx) => ctx.db.readinessAssessment.count({ where: readinessWhere(args) }),
    },
    ReadinessAssessmentConnection,
  ),
);

const ReadinessResponseInput = builder.inputType('ReadinessResponseInput', {
  description: 'The answer to one checklist question.',
  fields: (t) => ({
    item: t.field({ type: ReadinessItemEnum, required: true, description: 'The checklist item.' }),
    answer: t.field({ type: ReadinessAnswerEnum, required: true, description: 'Yes, partly or no.' }),
    note: t.string({ description: 'Free-text note: strengths, gaps, plans.' }),
  }),
  validate: inputRules({ note: z.string().trim().max(2000).nullish() }),
});

const RecordReadinessAssessmentInput = builder.inputType('RecordReadinessAssessmentInput', {
  description: 'Your site’s answers to the whole readiness checklist.',
  fields: (t) => ({
    assessedOn: t.field({ type: 'Date', required: true, description: 'The day the checklist was answered.' }),
    note: t.string({ description: 'Free-text note on the assessment as a whole.' }),
    responses: t.field({ type: [ReadinessResponseInput], required: true, description: 'One answer for each of the twelve items.' }),
  }),
  validate: inputRules({ assessedOn: notFuture, note: z.string().trim().max(4000).nullish() }, (input: { responses: { item: ReadinessItem }[] }, issues) => {
    const answered = new Set<string>();
    input.responses.forEach((response, i) => {
      if (answered.has(response.item)) {
        issues.addIssue({ code: 'custom', path: ['responses', i, 'item'], message: `${response.item} is answered more than once` });
      }
      answered.add(response.item);
    });
    for (const item of readinessItems) {
      if (!answered.has(item)) issues.addIssue({ code: 'custom', path: ['responses'], message: `${item} is not answered` });
    }
  }),
});

builder.mutationField('recordReadinessAssessment', (t) =>
  t.prismaField({
    authz: 'assessReadiness',
    type: 'ReadinessAssessment',
    description: 'Records your site’s answers to the readiness checklist (site admins).',
    args: { input: t.arg({ type: RecordReadinessAssessmentInput, required: true, description: 'The answers.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const { tenantId } = principalFor(ctx, 'assessReadiness');
      const assessment = await ctx.db.readinessAssessment.create({
        data: { tenantId, assessedOn: input.assessedOn, note: input.note ?? null },
        select: { id: true },
      });
      await ctx.db.readinessResponse.createMany({
        data: input.responses.map((response) => ({
          tenantId,
          assessmentId: assessment.id,
          item: response.item,
          answer: response.answer,
          note: response.note ?? null,
        })),
      });
      return ctx.db.readinessAssessment.findUniqueOrThrow({ ...query, where: { id: assessment.id } });
    },
  }),
);
