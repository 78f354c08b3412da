// Clients: a site's people. Every field here is personal health information, readable only by
// site staff in a clinical or data role (shield below, and row-level security underneath).
import { allow } from 'graphql-shield';
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { readsClientPhi, hasSiteRole } from '../auth/rules.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { validate } from '../graphql/validation.js';
import { conflict } from '../graphql/errors.js';
import { AgeBandEnum, AnswerEnum, GenderIdentityEnum, IncomeBandEnum } from './enums.js';
import { isUniqueViolation } from '../db/errors.js';

export const ClientNode = builder.prismaNode('Client', {
  nullable: true,
  description: 'A person served by one site. Personal health information.',
  id: { field: 'id' },
  fields: (t) => ({
    chartNumber: t.exposeString('chartNumber', { description: 'The site’s chart number for this client.' }),
    givenName: t.exposeString('givenName', { description: 'Given name.' }),
    familyName: t.exposeString('familyName', { description: 'Family name.' }),
    dateOfBirth: t.expose('dateOfBirth', { type: 'Date', nullable: true, description: 'Date of birth.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number.' }),
    email: t.exposeString('email', { nullable: true, description: 'Email address.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code.' }),
    ageBand: t.expose('ageBand', { type: AgeBandEnum, nullable: true, description: 'Self-identified age group.' }),
    genderIdentity: t.expose('genderIdentity', { type: GenderIdentityEnum, nullable: true, description: 'Self-identified gender.' }),
    preferredLanguage: t.exposeString('preferredLanguage', { nullable: true, description: 'Preferred language (ISO 639 code).' }),
    incomeBand: t.expose('incomeBand', { type: IncomeBandEnum, nullable: true, description: 'Self-identified household income band.' }),
    racialized: t.expose('racialized', { type: AnswerEnum, nullable: true, description: 'Self-identifies as racialized.' }),
    indigenous: t.expose('indigenous', { type: AnswerEnum, nullable: true, description: 'Self-identifies as Indigenous.' }),
    lgbtq2s: t.expose('lgbtq2s', { type: AnswerEnum, nullable: true, description: 'Self-identifies as 2SLGBTQ+.' }),
    newcomer: t.expose('newcomer', { type: AnswerEnum, nullable: true, description: 'Newcomer to Canada.' }),
    livesAlone: t.expose('livesAlone', { type: AnswerEnum, nullable: true, description: 'Lives alone.' }),
    disability: t.expose('disability', { type: AnswerEnum, nullable: true, description: 'Self-identifies as living with a disability.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the record was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.' }),
    prescriptions: t.relatedConnection('prescriptions', {
      cursor: 'id',
      maxSize: 100,
      description: 'This client’s social prescriptions, newest first.',
      query: () => ({ orderBy: [{ referredAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

builder.queryField('clients', (t) =>
  t.prismaConnection({
    type: 'Client',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description: 'Clients of your site, by family then given name.',
    args: {
      search: t.arg.string({ required: false, description: 'Part of a name, or the start of a chart number.' }),
    },
    resolve: (query, _root, args, ctx) => {
      const search = args.search?.trim();
      return ctx.db.client.findMany({
        ...query,
        where: search
          ? {
              OR: [
                { givenName: { contains: search, mode: 'insensitive' } },
                { familyName: { contains: search, mode: 'insensitive' } },
                { chartNumber: { startsWith: search, mode: 'insensitive' } },
              ],
            }
          : undefined,
        orderBy: [{ familyName: 'asc' }, { givenName: 'asc' }, { id: 'asc' }],
      });
    },
  }),
);

const answer = z.enum(['YES', 'NO', 'PREFER_NOT_TO_ANSWER']);
export const clientDetailsSchema = z.object({
  givenName: z.string().trim().min(1, 'is required').max(100),
  familyName: z.string().trim().min(1, 'is required').max(100),
  dateOfBirth: z
    .date()
    .refine((d) => d.getTime() <= Date.now(), 'cannot be in the future')
    .refine((d) => d.getUTCFullYear() >= 1900, 'is before 1900')
    .nullish(),
  phone: z.string().trim().regex(/^[+()\d\s.-]{7,20}$/, 'is not a phone number').nullish(),
  email: z.email('is not an email address').nullish(),
  preferredLanguage: z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 code such as "en" or "fr"').nullish(),
});

const createClientSchema = clientDetailsSchema.extend({
  chartNumber: z.string().trim().min(1, 'is required').max(40),
  postalCode: z.string().trim().regex(/^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, 'is not a Canadian postal code').nullish(),
  ageBand: z.string().nullish(),
  genderIdentity: z.string().nullish(),
  incomeBand: z.string().nullish(),
  racialized: answer.nullish(),
  indigenous: answer.nullish(),
  lgbtq2s: answer.nullish(),
  newcomer: answer.nullish(),
  livesAlone: answer.nullish(),
  disability: answer.nullish(),
});

const CreateClientInput = builder.inputType('CreateClientInput', {
  description: 'A new client of your site.',
  fields: (t) => ({
    chartNumber: t.string({ required: true, description: 'The site’s chart number; unique within the site.' }),
    givenName: t.string({ required: true, description: 'Given name.' }),
    familyName: t.string({ required: true, description: 'Family name.' }),
    dateOfBirth: t.field({ type: 'Date', description: 'Date of birth.' }),
    phone: t.string({ description: 'Phone number.' }),
    email: t.string({ description: 'Email address.' }),
    postalCode: t.string({ description: 'Canadian postal code.' }),
    preferredLanguage: t.string({ description: 'Preferred language (ISO 639 code).' }),
    ageBand: t.field({ type: AgeBandEnum, description: 'Self-identified age group.' }),
    genderIdentity: t.field({ type: GenderIdentityEnum, description: 'Self-identified gender.' }),
    incomeBand: t.field({ type: IncomeBandEnum, description: 'Self-identified household income band.' }),
    racialized: t.field({ type: AnswerEnum, description: 'Self-identifies as racialized.' }),
    indigenous: t.field({ type: AnswerEnum, description: 'Self-identifies as Indigenous.' }),
    lgbtq2s: t.field({ type: AnswerEnum, description: 'Self-identifies as 2SLGBTQ+.' }),
    newcomer: t.field({ type: AnswerEnum, description: 'Newcomer to Canada.' }),
    livesAlone: t.field({ type: AnswerEnum, description: 'Lives alone.' }),
    disability: t.field({ type: AnswerEnum, description: 'Self-identifies as living with a disability.' }),
  }),
});

builder.mutationType({ description: 'Changes.' });

builder.mutationField('createClient', (t) =>
  t.prismaField({
    type: 'Client',
    description: 'Registers a client at your site.',
    args: { input: t.arg({ type: CreateClientInput, required: true, description: 'The client’s details.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = validate(createClientSchema, args.input);
      const { tenantId } = ctx.principal as StaffPrincipal;
      try {
        return await ctx.db.client.create({
          ...query,
          data: { ...(input as typeof args.input), tenantId } as never,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`chart number ${input.chartNumber} is already in use at this site`);
        throw error;
      }
    },
  }),
);

export const clientPermissions: PermissionMap = {
  Query: { clients: readsClientPhi },
  Mutation: { createClient: hasSiteRole('PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR') },
  Client: readsClientPhi,
  QueryClientsConnection: allow,
  QueryClientsConnectionEdge: allow,
  ClientPrescriptionsConnection: allow,
  ClientPrescriptionsConnectionEdge: allow,
};
