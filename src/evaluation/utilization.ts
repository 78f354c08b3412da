// Health-care utilization around a social prescription: primary-care and emergency visits in the
// months before and after it, as the data coordinator extracts them from the EMR. Personal health
// information: site staff in a clinical or data role, own site only.
import { z } from 'zod';
import type { UtilizationPeriod } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { describedEnum } from '../graphql/described-enum.js';
import { inputRules, notFuture } from '../graphql/validation.js';
import { notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { SocialPrescriptionNode } from '../prescriptions/social-prescription.js';
import { clientRecord, phi, phiWrite } from '../privacy/marking.js';
import { notLockedFromCaller } from '../privacy/lock-filter.js';
import type { GraphQLContext } from '../graphql/context.js';

export const UtilizationPeriodEnum = describedEnum<UtilizationPeriod>('UtilizationPeriod', 'Which side of the prescription a count covers.', {
  BEFORE: 'The months before the social prescription.',
  AFTER: 'The months after the social prescription.',
});

export const UtilizationRecordNode = builder.prismaNode('UtilizationRecord', {
  authz: 'readEvaluation',
  nullable: true,
  description:
    'Primary-care and emergency visits of a client over some months before or after a social prescription (EMR extract). Lock-box category UTILIZATION.',
  extensions: clientRecord<{ tenantId: string; clientId: string }>((u) => ({ tenantId: u.tenantId, clientId: u.clientId })),
  id: { field: 'id' },
  fields: (t) => {
    // The counts are withheld (null) when the client has lock-boxed their utilization.
    const utilization = { nullable: true, extensions: phi('UTILIZATION') } as const;
    return {
      client: t.relation('client', { description: 'The client.', extensions: phi('IDENTITY') }),
      prescription: t.relation('prescription', { description: 'The social prescription the period is measured around.', extensions: phi('REFERRAL') }),
      period: t.expose('period', { ...utilization, type: UtilizationPeriodEnum, description: 'Before or after the prescription.' }),
      months: t.exposeInt('months', { ...utilization, description: 'Length of the period in months.' }),
      primaryCareVisits: t.exposeInt('primaryCareVisits', { ...utilization, description: 'Primary-care visits in the period.' }),
      emergencyVisits: t.exposeInt('emergencyVisits', { ...utilization, description: 'Emergency department visits in the period.' }),
      extractedAt: t.expose('extractedAt', { ...utilization, type: 'DateTime', description: 'When the counts were extracted from the EMR.' }),
    };
  },
});

const byPeriod = [{ period: 'asc' as const }, { extractedAt: 'asc' as const }, { id: 'asc' as const }];

export const UtilizationRecordConnection = connectionOf(UtilizationRecordNode, 'UtilizationRecord');

const utilizationWhere = async (args: { prescriptionId?: string | null; clientId?: string | null }, ctx: GraphQLContext) => ({
  ...(await notLockedFromCaller(ctx, 'UTILIZATION')),
  ...(args.prescriptionId ? { prescriptionId: idOf(args.prescriptionId, 'SocialPrescription', 'prescriptionId') } : {}),
  ...(args.clientId ? { clientId: idOf(args.clientId, 'Client', 'clientId') } : {}),
});

builder.queryField('utilizationRecords', (t) =>
  t.prismaConnection(
    {
      authz: 'readEvaluation',
      type: 'UtilizationRecord',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Utilization records of your site’s clients, newest extract first; those of clients who lock-boxed their utilization from you are left out.',
      args: {
        prescriptionId: t.arg.id({ required: false, description: 'Only those measured around this prescription.' }),
        clientId: t.arg.id({ required: false, description: 'Only this client’s.' }),
      },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.utilizationRecord.findMany({ ...query, where: await utilizationWhere(args, ctx), orderBy: [{ extractedAt: 'desc' }, { id: 'desc' }] }),
      totalCount: async (_root, args, ctx) => ctx.db.utilizationRecord.count({ where: await utilizationWhere(args, ctx) }),
    },
    UtilizationRecordConnection,
  ),
);

builder.prismaObjectField(SocialPrescriptionNode, 'utilization', (t) =>
  t.relation('utilization', {
    nullable: true,
    description: 'Visits before and after this prescription, BEFORE first; null when lock-boxed from you.',
    extensions: phi('UTILIZATION'),
    query: { orderBy: byPeriod },
  }),
);

const visits = z.int().min(0, 'cannot be negative');
const RecordUtilizationInput = builder.inputType('RecordUtilizationInput', {
  description: 'Visit counts of a client over a period before or after a social prescription.',
  fields: (t) => ({
    prescriptionId: t.id({ required: true, description: 'The social prescription the period is measured around; the client is its client.' }),
    period: t.field({ type: UtilizationPeriodEnum, required: true, description: 'Before or after the prescription.' }),
    months: t.int({ required: true, description: 'Length of the period in months (1–24).' }),
    primaryCareVisits: t.int({ required: true, description: 'Primary-care visits in the period (0 or more).' }),
    emergencyVisits: t.int({ required: true, description: 'Emergency department visits in the period (0 or more).' }),
    extractedAt: t.field({ type: 'DateTime', description: 'When the counts were extracted from the EMR; defaults to now.' }),
  }),
  validate: inputRules({
    months: z.int().min(1, 'must be between 1 and 24').max(24, 'must be between 1 and 24'),
    primaryCareVisits: visits,
    emergencyVisits: visits,
    extractedAt: notFuture.nullish(),
  }),
});

builder.mutationField('recordUtilization', (t) =>
  t.prismaField({
    authz: 'recordUtilization',
    type: 'UtilizationRecord',
    description: 'Records a client’s visit counts before or after a social prescription (data coordinators).',
    extensions: phiWrite('UTILIZATION'),
    args: { input: t.arg({ type: RecordUtilizationInput, required: true, description: 'The counts.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const principal = principalFor(ctx, 'recordUtilization');
      const prescriptionId = idOf(input.prescriptionId, 'SocialPrescription', 'input.prescriptionId');
      // Another site's prescription is invisible under row-level security: it reads as not found.
      const prescription = await ctx.db.socialPrescription.findUnique({ where: { id: prescriptionId }, select: { clientId: true } });
      if (!prescription) throw notFound('Social prescription');
      return ctx.db.utilizationRecord.create({
        ...query,
        data: {
          tenantId: principal.tenantId,
          clientId: prescription.clientId,
          prescriptionId,
          period: input.period,
          months: input.months,
          primaryCareVisits: input.primaryCareVisits,
          emergencyVisits: input.emergencyVisits,
          ...(input.extractedAt ? { extractedAt: input.extractedAt } : {}),
        },
      });
    },
  }),
);
