// Two records of one person at a site: the link worker confirms and merges them (the history of
// both is kept on one; the other stays, marked merged-into), or dismisses a possible duplicate.
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import { badUserInput, conflict, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { checkSaved, checkVersion, nextVersion, versionedChangeFields } from '../shared/versions.js';
import { phiWrite, type PhiCategory } from '../privacy/marking.js';

/** What a merge rewrites: whose record each part of the merged client's history now is. */
const mergedCategories: PhiCategory[] = ['IDENTITY', 'REFERRAL', 'CONSENT', 'ASSESSMENTS', 'UTILIZATION'];

const MergeClientsInput = builder
  .inputType('MergeClientsInput', {
    description: 'Two records of the same person at your site: the one to keep and the one merged into it.',
    fields: (t) => ({
      keepId: t.id({ required: true, description: 'The client to keep.' }),
      keepExpectedVersion: t.int({ required: true, description: 'The kept client’s version you read; a stale one answers CONFLICT.' }),
      mergeId: t.id({ required: true, description: 'The client merged into it: kept as a record, marked merged-into, its history moved.' }),
      mergeExpectedVersion: t.int({ required: true, description: 'The merged client’s version you read; a stale one answers CONFLICT.' }),
    }),
  })
  .validate(inputRules({ keepId: z.string(), mergeId: z.string(), keepExpectedVersion: z.number().int(), mergeExpectedVersion: z.number().int() }));

builder.mutationField('mergeClients', (t) =>
  t.prismaField({
    authz: 'keepClients',
    type: 'Client',
    description:
      'Merges two records of one person at your site: prescriptions (with their history), consents, lock-box directives, assessments, utilization and a Health Champion link move to the kept client; the merged record stays, marked merged-into. Both are audited.',
    extensions: phiWrite(() => mergedCategories),
    args: { input: t.arg({ type: MergeClientsInput, required: true, description: 'The two records.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const { tenantId } = principalFor(ctx, 'keepClients');
      const keepId = idOf(input.keepId, 'Client', 'input.keepId');
      const mergeId = idOf(input.mergeId, 'Client', 'input.mergeId');
      if (keepId === mergeId) throw badUserInput([{ field: 'input.mergeId', message: 'is the client to keep' }]);
      // Another site's clients are invisible under row-level security: they read as not found.
      const select = { version: true, mergedIntoId: true, possibleDuplicateOfIds: true } as const;
      const [keep, merge] = await Promise.all([
        ctx.db.client.findFirst({ where: { id: keepId, tenantId }, select }),
        ctx.db.client.findFirst({ where: { id: mergeId, tenantId }, select }),
      ]);
      if (!keep || !merge) throw notFound('Client');
      checkVersion('client', keep, input.keepExpectedVersion);
      checkVersion('client', merge, input.mergeExpectedVersion);
      if (keep.mergedIntoId || merge.mergedIntoId) throw conflict('One of the clients was already merged into another; merge into the client it went to');
      const mergedAt = new Date();
      const withoutEachOther = (ids: string[]) => ids.filter((id) => id !== keepId && id !== mergeId);
      checkSaved(
        'client',
        await ctx.db.client.updateMany({
          where: { id: mergeId, version: input.mergeExpectedVersion },
          data: nextVersion({ mergedIntoId: keepId, mergedAt, possibleDuplicateOfIds: withoutEachOther(merge.possibleDuplicateOfIds) }),
        }),
      );
      checkSaved(
        'client',
        await ctx.db.client.updateMany({
          where: { id: keepId, version: input.keepExpectedVersion },
          data: nextVersion({ possibleDuplicateOfIds: withoutEachOther(keep.possibleDuplicateOfIds) }),
        }),
      );
      await ctx.db.$queryRaw`SELECT merge_client_records(${mergeId})`;
      // The kept client is audited as the mutation's result; the merged one here.
      for (const category of mergedCategories) ctx.privacy.record('WRITE', { tenantId, clientId: mergeId }, category);
      return ctx.db.client.findUniqueOrThrow({ ...query, where: { id: keepId } });
    },
  }),
);

const DismissPossibleDuplicatesInput = builder
  .inputType('DismissPossibleDuplicatesInput', {
    description: 'A client flagged as possibly the same person as others, confirmed to be someone else.',
    fields: (t) => ({ ...versionedChangeFields(t, 'client') }),
  })
  .validate(inputRules({ id: z.string(), expectedVersion: z.number().int() }));

builder.mutationField('dismissPossibleDuplicates', (t) =>
  t.prismaField({
    authz: 'keepClients',
    type: 'Client',
    description: 'Confirms that a client flagged for identity review is not the same person as the clients it was matched with.',
    extensions: phiWrite('IDENTITY'),
    args: { input: t.arg({ type: DismissPossibleDuplicatesInput, required: true, description: 'The client.' }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idOf(args.input.id, 'Client', 'input.id');
      const current = await ctx.db.client.findUnique({ where: { id }, select: { version: true } });
      if (!current) throw notFound('Client');
      checkVersion('client', current, args.input.expectedVersion);
      checkSaved(
        'client',
        await ctx.db.client.updateMany({ where: { id, version: args.input.expectedVersion }, data: nextVersion({ possibleDuplicateOfIds: [] }) }),
      );
      return ctx.db.client.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
