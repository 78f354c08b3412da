// Consent: to evaluation use, and to sharing with a named partner. A new row per decision, never
// overwritten; the newest row of a kind (and partner) is the one in force, so a withdrawal takes
// effect at once, everywhere that asks (including the SQL function partner_referral_client).
import { z } from 'zod';
import type { ConsentKind, ConsentStatus } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import { clientRecord, phi, phiWrite } from './marking.js';

export const ConsentKindEnum = describedEnum<ConsentKind>('ConsentKind', 'What a client consents to.', {
  EVALUATION_USE: 'Use of their de-identified data in the evaluation (aggregates count only these clients).',
  PARTNER_SHARING: 'Sharing their details with one named partner organization.',
});

export const ConsentStatusEnum = describedEnum<ConsentStatus>('ConsentStatus', 'A consent decision.', {
  GRANTED: 'Consent given.',
  WITHDRAWN: 'Consent withdrawn; takes effect immediately.',
});

export const ClientConsentRef = builder.prismaObject('ClientConsent', {
  authz: 'readClients',
  description: 'One consent decision of a client. Never changed: a later decision supersedes it.',
  extensions: clientRecord<{ tenantId: string; clientId: string }>((c) => ({ tenantId: c.tenantId, clientId: c.clientId })),
  fields: (t) => ({
    kind: t.expose('kind', { type: ConsentKindEnum, description: 'What the consent is for.', extensions: phi('CONSENT') }),
    partner: t.relation('partner', { nullable: true, description: 'The partner, for sharing consent.', extensions: phi('CONSENT') }),
    status: t.expose('status', { type: ConsentStatusEnum, description: 'Granted or withdrawn.', extensions: phi('CONSENT') }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When the decision was recorded.', extensions: phi('CONSENT') }),
    recordedBy: t.relation('recordedBy', { nullable: true, description: 'Who recorded it.', extensions: phi('CONSENT') }),
    note: t.exposeString('note', { nullable: true, description: 'Free-text note.', extensions: phi('NOTES') }),
  }),
});

builder.prismaObjectField('Client', 'consents', (t) =>
  t.relation('consents', {
    description: 'Every consent decision of this client, newest first.',
    query: { orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] },
    extensions: phi('CONSENT'),
  }),
);

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  description: 'A client’s consent decision.',
  fields: (t) => ({
    clientId: t.id({ required: true, description: 'The client.' }),
    kind: t.field({ type: ConsentKindEnum, required: true, description: 'What the consent is for.' }),
    partner: t.string({ description: 'Slug of the partner, required for PARTNER_SHARING.' }),
    status: t.field({ type: ConsentStatusEnum, required: true, description: 'Granted or withdrawn.' }),
    note: t.string({ description: 'Free-text note.' }),
  }),
  validate: inputRules({ partner: z.string().min(1).nullish(), note: z.string().max(2000).nullish() }),
});

builder.mutationField('recordConsent', (t) =>
  t.prismaField({
    authz: 'recordConsent',
    type: 'ClientConsent',
    description: 'Records a client’s consent decision; it is in force from now on.',
    args: { input: t.arg({ type: RecordConsentInput, required: true, description: 'The decision.' }) },
    extensions: phiWrite('CONSENT'),
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      if (input.kind === 'PARTNER_SHARING' && !input.partner) throw badUserInput([{ field: 'input.partner', message: 'is required for PARTNER_SHARING' }]);
      if (input.kind === 'EVALUATION_USE' && input.partner) throw badUserInput([{ field: 'input.partner', message: 'applies to PARTNER_SHARING only' }]);
      const clientId = idOf(input.clientId, 'Client', 'input.clientId');
      const client = await ctx.db.client.findUnique({ where: { id: clientId }, select: { tenantId: true } });
      if (!client) throw notFound('Client');
      if (input.partner && !(await ctx.db.partnerOrganization.findUnique({ where: { id: input.partner }, select: { id: true } }))) {
        throw notFound('Partner organization');
      }
      const caller = await findCallerStaffRecord(ctx);
      return ctx.db.clientConsent.create({
        ...query,
        data: {
          tenantId: client.tenantId,
          clientId,
          kind: input.kind,
          partnerId: input.partner ?? null,
          status: input.status,
          note: input.note ?? null,
          recordedById: caller?.id ?? null,
        },
      });
    },
  }),
);
