// What a client was connected to through a prescription: a program or a community asset, each
// with its own status. Every change is also an entry in the prescription's history.
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { conflict, invalidTransition, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { appendEvents, checkOpen, findPrescription } from './changes.js';
import { PrescriptionItemStatusEnum } from './enums.js';
import { PrescriptionItemStatus } from '../generated/prisma/enums.js';
import { checkSaved, checkVersion, nextVersion, versionedChange, versionedChangeFields } from '../shared/versions.js';
import { clientRecord, phi, phiWrite } from '../privacy/marking.js';

/**
 * Allowed item moves, forward only. A drop-in asset (a park, a library) needs no enrolment, so a
 * suggestion may be attended directly; ATTENDED and STOPPED are final.
 */
export const allowedItemMoves: Readonly<Record<PrescriptionItemStatus, readonly PrescriptionItemStatus[]>> = {
  SUGGESTED: ['ENROLLED', 'ATTENDED', 'STOPPED'],
  ENROLLED: ['ATTENDED', 'STOPPED'],
  ATTENDED: [],
  STOPPED: [],
};

/** Why an item may not move from `from` to `to`; null when it may. */
export function itemTransitionProblem(from: PrescriptionItemStatus, to: PrescriptionItemStatus): string | null {
  if (allowedItemMoves[from].includes(to)) return null;
  const next = allowedItemMoves[from];
  return `An item that is ${from} cannot become ${to}; ${next.length ? `it may become ${next.join(', ')}` : 'it is final'}`;
}

export const PrescriptionItemNode = builder.prismaNode('PrescriptionItem', {
  authz: 'readPrescriptions',
  nullable: true,
  description: 'A program or community asset a client was connected to through a prescription.',
  extensions: clientRecord<{ tenantId: string; prescriptionId: string }>((i) => ({ tenantId: i.tenantId, prescriptionId: i.prescriptionId })),
  id: { field: 'id' },
  fields: (t) => ({
    status: t.expose('status', { type: PrescriptionItemStatusEnum, description: 'Where the client stands with it.', extensions: phi('REFERRAL') }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note.', extensions: phi('NOTES') }),
    program: t.relation('program', { nullable: true, description: 'The program, when the item is a program.', extensions: phi('REFERRAL') }),
    asset: t.relation('asset', { nullable: true, description: 'The community asset, when the item is an asset.', extensions: phi('REFERRAL') }),
    prescription: t.relation('prescription', { description: 'The prescription it belongs to.', extensions: phi('REFERRAL') }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the connection was made.', extensions: phi('REFERRAL') }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its status last changed.', extensions: phi('REFERRAL') }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.', extensions: phi('REFERRAL') }),
  }),
});

const addSchema = z
  .object({
    prescriptionId: z.string(),
    programId: z.string().nullish(),
    assetId: z.string().nullish(),
    note: z.string().trim().max(2000).nullish(),
  })
  .refine((input) => !!input.programId !== !!input.assetId, { path: ['programId'], message: 'give exactly one of programId and assetId' });

const AddPrescriptionItemInput = builder
  .inputType('AddPrescriptionItemInput', {
    description: 'A program or a community asset to connect the client to: give exactly one.',
    fields: (t) => ({
      prescriptionId: t.id({ required: true, description: 'The social prescription.' }),
      programId: t.id({ description: 'A program of your site or of the network.' }),
      assetId: t.id({ description: 'A community asset of your site, or one shared with the network.' }),
      note: t.string({ description: 'Free-text note.' }),
    }),
  })
  .validate(addSchema);

builder.mutationField('addPrescriptionItem', (t) =>
  t.prismaField({
    authz: 'prescribe',
    type: 'PrescriptionItem',
    description: 'Connects the client of an open prescription to a program or a community asset, as SUGGESTED.',
    extensions: phiWrite('REFERRAL'),
    args: { input: t.arg({ type: AddPrescriptionItemInput, required: true, description: 'What to connect.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const db = ctx.db;
      const prescription = await findPrescription(db, { id: idOf(input.prescriptionId, 'SocialPrescription', 'input.prescriptionId') });
      checkOpen(prescription);
      // Row-level security shows a site its own programs and assets plus the network's: anything else reads as not found.
      let target: { programId: string } | { assetId: string };
      if (input.programId) {
        const programId = idOf(input.programId, 'Program', 'input.programId');
        if (!(await db.program.findFirst({ where: { id: programId, active: true }, select: { id: true } }))) throw notFound('Program');
        target = { programId };
      } else {
        const assetId = idOf(input.assetId!, 'CommunityAsset', 'input.assetId');
        if (!(await db.communityAsset.findFirst({ where: { id: assetId, retiredAt: null }, select: { id: true } }))) throw notFound('Community asset');
        target = { assetId };
      }
      if (await db.prescriptionItem.findFirst({ where: { prescriptionId: prescription.id, ...target }, select: { id: true } })) {
        throw conflict('The client is already connected to it through this prescription');
      }
      const item = await db.prescriptionItem.create({
        data: { tenantId: prescription.tenantId, prescriptionId: prescription.id, ...target, note: input.note ?? null },
        select: { id: true },
      });
      await appendEvents(ctx, prescription, [{ kind: 'ITEM_ADDED', itemId: item.id, toItemStatus: 'SUGGESTED', note: input.note ?? null }]);
      return db.prescriptionItem.findUniqueOrThrow({ ...query, where: { id: item.id } });
    },
  }),
);

const statusSchema = z.object({ ...versionedChange, status: z.enum(PrescriptionItemStatus), note: z.string().trim().max(2000).nullish() });

const UpdatePrescriptionItemStatusInput = builder
  .inputType('UpdatePrescriptionItemStatusInput', {
    description: 'A new status for a program or asset the client was connected to.',
    fields: (t) => ({
      ...versionedChangeFields(t, 'prescription item'),
      status: t.field({ type: PrescriptionItemStatusEnum, required: true, description: 'Its new status.' }),
      note: t.string({ description: 'Free-text note for the history.' }),
    }),
  })
  .validate(statusSchema);

builder.mutationField('updatePrescriptionItemStatus', (t) =>
  t.prismaField({
    authz: 'followUpPrescriptions',
    type: 'PrescriptionItem',
    description:
      'Records where the client stands with a program or asset of an open prescription (link workers). Items move forward only: SUGGESTED → ENROLLED → ATTENDED or STOPPED (SUGGESTED may also go straight to ATTENDED or STOPPED); any other move answers INVALID_TRANSITION saying why.',
    extensions: phiWrite('REFERRAL'),
    args: { input: t.arg({ type: UpdatePrescriptionItemStatusInput, required: true, description: 'The item and its new status.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, status: to, note } = args.input;
      const db = ctx.db;
      const item = await db.prescriptionItem.findUnique({
        where: { id: idOf(id, 'PrescriptionItem', 'input.id') },
        select: { id: true, status: true, prescriptionId: true, version: true },
      });
      if (!item) throw notFound('Prescription item');
      checkVersion('prescription item', item, expectedVersion);
      const prescription = await findPrescription(db, { id: item.prescriptionId });
      checkOpen(prescription);
      const problem = itemTransitionProblem(item.status, to);
      if (problem) throw invalidTransition(problem);
      // Conditional on the version read, so two concurrent changes cannot both be recorded as from its status.
      checkSaved(
        'prescription item',
        await db.prescriptionItem.updateMany({ where: { id: item.id, version: expectedVersion }, data: nextVersion({ status: to }) }),
      );
      await appendEvents(ctx, prescription, [
        { kind: 'ITEM_STATUS_CHANGED', itemId: item.id, fromItemStatus: item.status, toItemStatus: to, note: note ?? null },
      ]);
      return db.prescriptionItem.findUniqueOrThrow({ ...query, where: { id: item.id } });
    },
  }),
);
