// Clients: a site's people. Every field here is personal health information, readable only by
// site staff in a clinical or data role (the readClients action, and row-level security underneath).
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import type { GraphQLContext } from '../graphql/context.js';
import { SocialPrescriptionConnection } from '../prescriptions/social-prescription.js';
import { inputRules } from '../graphql/validation.js';
import { conflict, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { describedEnum } from '../graphql/described-enum.js';
import { SortDirectionEnum } from '../graphql/sort-direction.js';
import { AgeBandEnum, AnswerEnum, GenderIdentityEnum, IncomeBandEnum } from './enums.js';
import { isUniqueViolation } from '../db/errors.js';
import { containing, oneLine, startingWith } from '../shared/fields.js';
import { AgeBand, Answer, GenderIdentity, IncomeBand } from '../generated/prisma/enums.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';
import { clientRecord, nonIdentifying, phi, phiWrite, type PhiCategory } from '../privacy/marking.js';
import { normalizeHealthCard } from './matching.js';

/** What kind of health information each of a client's details is: marks the fields below and names what a write changed. */
const detailCategory = {
  chartNumber: 'IDENTITY',
  givenName: 'IDENTITY',
  familyName: 'IDENTITY',
  dateOfBirth: 'IDENTITY',
  healthCardNumber: 'IDENTITY',
  phone: 'CONTACT',
  email: 'CONTACT',
  postalCode: 'CONTACT',
  ageBand: 'SOCIODEMOGRAPHICS',
  genderIdentity: 'SOCIODEMOGRAPHICS',
  preferredLanguage: 'SOCIODEMOGRAPHICS',
  incomeBand: 'SOCIODEMOGRAPHICS',
  racialized: 'SOCIODEMOGRAPHICS',
  indigenous: 'SOCIODEMOGRAPHICS',
  lgbtq2s: 'SOCIODEMOGRAPHICS',
  newcomer: 'SOCIODEMOGRAPHICS',
  livesAlone: 'SOCIODEMOGRAPHICS',
  disability: 'SOCIODEMOGRAPHICS',
} as const satisfies Record<string, PhiCategory>;

/** The categories of the details a create or update input sets (null clears, which is a write too). */
const categoriesWritten = (input: Record<string, unknown>): PhiCategory[] => [
  ...new Set(
    Object.entries(input).flatMap(([field, value]) =>
      value !== undefined && field in detailCategory ? [detailCategory[field as keyof typeof detailCategory]] : [],
    ),
  ),
];

export const ClientNode = builder.prismaNode('Client', {
  authz: 'readClients',
  nullable: true,
  description: 'A person served by one site. Personal health information.',
  extensions: clientRecord<{ tenantId: string; id: string }>((client) => ({ tenantId: client.tenantId, clientId: client.id })),
  id: { field: 'id' },
  fields: (t) => ({
    chartNumber: t.exposeString('chartNumber', { description: 'The site’s chart number for this client.', extensions: phi(detailCategory.chartNumber) }),
    givenName: t.exposeString('givenName', { description: 'Given name.', extensions: phi(detailCategory.givenName) }),
    familyName: t.exposeString('familyName', { description: 'Family name.', extensions: phi(detailCategory.familyName) }),
    dateOfBirth: t.expose('dateOfBirth', { type: 'Date', nullable: true, description: 'Date of birth.', extensions: phi(detailCategory.dateOfBirth) }),
    healthCardNumber: t.exposeString('healthCardNumber', {
      nullable: true,
      description: 'Health card number (letters and digits, upper case).',
      extensions: phi(detailCategory.healthCardNumber),
    }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number.', extensions: phi(detailCategory.phone) }),
    email: t.exposeString('email', { nullable: true, description: 'Email address.', extensions: phi(detailCategory.email) }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code.', extensions: phi(detailCategory.postalCode) }),
    ageBand: t.expose('ageBand', { type: AgeBandEnum, nullable: true, description: 'Self-identified age group.', extensions: phi(detailCategory.ageBand) }),
    genderIdentity: t.expose('genderIdentity', {
      type: GenderIdentityEnum,
      nullable: true,
      description: 'Self-identified gender.',
      extensions: phi(detailCategory.genderIdentity),
    }),
    preferredLanguage: t.exposeString('preferredLanguage', {
      nullable: true,
      description: 'Preferred language (ISO 639 code).',
      extensions: phi(detailCategory.preferredLanguage),
    }),
    incomeBand: t.expose('incomeBand', {
      type: IncomeBandEnum,
      nullable: true,
      description: 'Self-identified household income band.',
      extensions: phi(detailCategory.incomeBand),
    }),
    racialized: t.expose('racialized', {
      type: AnswerEnum,
      nullable: true,
      description: 'Self-identifies as racialized.',
      extensions: phi(detailCategory.racialized),
    }),
    indigenous: t.expose('indigenous', {
      type: AnswerEnum,
      nullable: true,
      description: 'Self-identifies as Indigenous.',
      extensions: phi(detailCategory.indigenous),
    }),
    lgbtq2s: t.expose('lgbtq2s', { type: AnswerEnum, nullable: true, description: 'Self-identifies as 2SLGBTQ+.', extensions: phi(detailCategory.lgbtq2s) }),
    newcomer: t.expose('newcomer', { type: AnswerEnum, nullable: true, description: 'Newcomer to Canada.', extensions: phi(detailCategory.newcomer) }),
    livesAlone: t.expose('livesAlone', { type: AnswerEnum, nullable: true, description: 'Lives alone.', extensions: phi(detailCategory.livesAlone) }),
    disability: t.expose('disability', {
      type: AnswerEnum,
      nullable: true,
      description: 'Self-identifies as living with a disability.',
      extensions: phi(detailCategory.disability),
    }),
    needsIdentityReview: t.boolean({
      description: 'A partner referral matched this person ambiguously: confirm with mergeClients, or dismiss with dismissPossibleDuplicates.',
      extensions: phi('IDENTITY'),
      resolve: (client) => client.possibleDuplicateOfIds.length > 0 && !client.mergedIntoId,
    }),
    possibleDuplicateOf: t.prismaField({
      type: ['Client'],
      description: 'The clients of the site this one may be the same person as (same name and date of birth, or health card number).',
      extensions: phi('IDENTITY'),
      resolve: (query, client, _args, ctx) =>
        client.possibleDuplicateOfIds.length
          ? ctx.db.client.findMany({ ...query, where: { id: { in: client.possibleDuplicateOfIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })
          : [],
    }),
    mergedInto: t.relation('mergedInto', {
      nullable: true,
      description: 'The client this record was merged into; its history is there now.',
      extensions: phi('IDENTITY'),
    }),
    mergedAt: t.expose('mergedAt', { type: 'DateTime', nullable: true, description: 'When it was merged.', extensions: phi('IDENTITY') }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.', extensions: nonIdentifying }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the record was created.', extensions: nonIdentifying }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.', extensions: nonIdentifying }),
    prescriptions: t.relatedConnection(
      'prescriptions',
      {
        cursor: 'id',
        maxSize: 100,
        description: 'This client’s social prescriptions, newest first.',
        extensions: phi('REFERRAL'),
        totalCount: true,
        query: () => ({ orderBy: [{ referredAt: 'desc' }, { id: 'desc' }] }),
      },
      SocialPrescriptionConnection,
    ),
  }),
});

const ClientOrderField = describedEnum('ClientOrderField', 'What to sort clients by.', {
  NAME: 'Family name, then given name.',
  CHART_NUMBER: 'Chart number.',
  CREATED_AT: 'When the record was created.',
});

const ClientOrder = builder.inputType('ClientOrder', {
  description: 'How to sort clients; ties are broken by id.',
  fields: (t) => ({
    field: t.field({ type: ClientOrderField, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: SortDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

const clientOrder = (field: 'NAME' | 'CHART_NUMBER' | 'CREATED_AT', direction: 'asc' | 'desc') => {
  const columns = field === 'NAME' ? (['familyName', 'givenName'] as const) : field === 'CHART_NUMBER' ? (['chartNumber'] as const) : (['createdAt'] as const);
  return [...columns.map((column) => ({ [column]: direction })), { id: direction }];
};

export const ClientConnection = connectionOf(ClientNode, 'Client');

/** A merged record (mergedInto set) is history: readable by id, never listed, found or counted. */
const clientsWhere = (search: string | undefined) => ({
  mergedIntoId: null,
  ...(search ? { OR: [{ givenName: containing(search) }, { familyName: containing(search) }, { chartNumber: startingWith(search) }] } : {}),
});

/**
 * A search by name or chart number answers "is this person a client here?" even when only ids
 * are selected, or only the count: a use of identity information about every client it matched.
 */
const recordSearched = (ctx: GraphQLContext, found: readonly { tenantId: string; id: string }[]) => {
  for (const client of found) ctx.privacy.record('READ', { tenantId: client.tenantId, clientId: client.id }, 'IDENTITY');
};

builder.queryField('clients', (t) =>
  t.prismaConnection(
    {
      authz: 'readClients',
      type: 'Client',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description:
        'Clients of your site, by family then given name unless `orderBy` says otherwise; a record merged into another (`mergedInto`) is not listed, found or counted.',
      args: {
        search: t.arg.string({ required: false, description: 'Part of a name, or the start of a chart number.' }),
        orderBy: t.arg({ type: ClientOrder, required: false, description: 'Sort order (default: NAME, ASC).' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const search = args.search?.trim();
        const found = await ctx.db.client.findMany({
          ...query,
          where: clientsWhere(search),
          orderBy: clientOrder(args.orderBy?.field ?? 'NAME', args.orderBy?.direction === 'DESC' ? 'desc' : 'asc'),
        });
        // The extra row fetched for hasNextPage included.
        if (search) recordSearched(ctx, found);
        return found;
      },
      totalCount: async (_root, args, ctx) => {
        const search = args.search?.trim();
        if (!search) return ctx.db.client.count({ where: clientsWhere(undefined) });
        const found = await ctx.db.client.findMany({ where: clientsWhere(search), select: { tenantId: true, id: true } });
        recordSearched(ctx, found);
        return found.length;
      },
    },
    ClientConnection,
  ),
);

const answer = z.enum(Answer);
export const healthCardSchema = z
  .string()
  .transform(normalizeHealthCard)
  .pipe(z.string().regex(/^[A-Z0-9]{6,20}$/, 'is not a health card number'))
  .nullish();
export const clientDetailsSchema = z.object({
  givenName: oneLine(z.string().trim().min(1, 'is required').max(100)),
  familyName: oneLine(z.string().trim().min(1, 'is required').max(100)),
  dateOfBirth: z
    .date()
    .refine((d) => d.getTime() <= Date.now(), 'cannot be in the future')
    .refine((d) => d.getUTCFullYear() >= 1900, 'is before 1900')
    .nullish(),
  phone: z
    .string()
    .trim()
    .regex(/^[+()\d .-]{7,20}$/, 'is not a phone number')
    .nullish(),
  email: z.email('is not an email address').nullish(),
  preferredLanguage: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be an ISO 639 code such as "en" or "fr"')
    .nullish(),
});

const createClientRules = {
  ...clientDetailsSchema.shape,
  chartNumber: oneLine(z.string().trim().min(1, 'is required').max(40)),
  healthCardNumber: healthCardSchema,
  postalCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, 'is not a Canadian postal code')
    .nullish(),
  ageBand: z.enum(AgeBand).nullish(),
  genderIdentity: z.enum(GenderIdentity).nullish(),
  incomeBand: z.enum(IncomeBand).nullish(),
  racialized: answer.nullish(),
  indigenous: answer.nullish(),
  lgbtq2s: answer.nullish(),
  newcomer: answer.nullish(),
  livesAlone: answer.nullish(),
  disability: answer.nullish(),
};

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, 'InputObject'>;

/** A client's details, as one input fields block for creating (names required) and updating (all optional). */
const clientDetailFields = (t: InputFields, namesRequired: boolean) => ({
  chartNumber: t.string({ required: namesRequired, description: 'The site’s chart number; unique within the site.' }),
  givenName: t.string({ required: namesRequired, description: 'Given name.' }),
  familyName: t.string({ required: namesRequired, description: 'Family name.' }),
  dateOfBirth: t.field({ type: 'Date', description: 'Date of birth.' }),
  healthCardNumber: t.string({ description: 'Health card number (spaces and hyphens are ignored).' }),
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
});

const CreateClientInput = builder
  .inputType('CreateClientInput', {
    description: 'A new client of your site.',
    fields: (t) => clientDetailFields(t, true),
  })
  .validate(inputRules(createClientRules));

builder.mutationType({ description: 'Changes.' });

builder.mutationField('createClient', (t) =>
  t.prismaField({
    authz: 'keepClients',
    type: 'Client',
    description: 'Registers a client at your site.',
    extensions: phiWrite((args: { input: Record<string, unknown> }) => categoriesWritten(args.input)),
    args: { input: t.arg({ type: CreateClientInput, required: true, description: 'The client’s details.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = args.input;
      const { tenantId } = principalFor(ctx, 'keepClients');
      try {
        return await ctx.db.client.create({
          ...query,
          data: { ...input, tenantId },
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`chart number ${input.chartNumber} is already in use at this site`);
        throw error;
      }
    },
  }),
);

const UpdateClientInput = builder
  .inputType('UpdateClientInput', {
    description: 'Changes to a client of your site. Fields left out stay as they are; null clears an optional one.',
    fields: (t) => ({
      ...versionedChangeFields(t, 'client'),
      ...clientDetailFields(t, false),
    }),
  })
  .validate(inputRules(changeRules(createClientRules)));

builder.mutationField('updateClient', (t) =>
  t.prismaField({
    authz: 'keepClients',
    type: 'Client',
    description: 'Changes a client of your site, if nobody changed it since you read it.',
    extensions: phiWrite((args: { input: Record<string, unknown> }) => categoriesWritten(args.input)),
    args: { input: t.arg({ type: UpdateClientInput, required: true, description: 'The changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id: globalId, expectedVersion, ...changes } = args.input;
      const id = idOf(globalId, 'Client', 'input.id');
      // Another site's clients are invisible under row-level security: they read as not found.
      const current = await ctx.db.client.findUnique({ where: { id }, select: { version: true } });
      if (!current) throw notFound('Client');
      checkVersion('client', current, expectedVersion);
      try {
        checkSaved('client', await ctx.db.client.updateMany({ where: { id, version: expectedVersion }, data: nextVersion(changes as object) }));
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`chart number ${changes.chartNumber} is already in use at this site`);
        throw error;
      }
      return ctx.db.client.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
