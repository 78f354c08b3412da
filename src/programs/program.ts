// Programs: activities a client can be prescribed. A site keeps its own (its staff, a partner or
// one of its Health Champions runs them); the Alliance keeps the network's, which every site sees.
import { z } from 'zod';
import { CostLevel, Need, ProgramRunner } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import type { GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { badUserInput, forbidden, invalidTransition, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { CostLevelEnum, NeedEnum } from '../shared/vocabulary.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';
import { containsText, languageCodes, optionalFreeText, optionalText, requiredText } from '../shared/fields.js';
import { partnerFor } from '../partners/partner-organization.js';

export const ProgramRunnerEnum = describedEnum<ProgramRunner>('ProgramRunner', 'Who runs a program.', {
  SITE: 'The site’s own staff.',
  PARTNER: 'A partner organization.',
  HEALTH_CHAMPION: 'A volunteer Health Champion.',
});

export const ProgramNode = builder.prismaNode('Program', {
  authz: 'seeLinkedPrograms',
  nullable: true,
  description: 'An activity a client can be prescribed: run by a site, a partner (for one site or the network), or a Health Champion.',
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the program.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it offers.' }),
    runBy: t.expose('runBy', { type: ProgramRunnerEnum, description: 'Who runs it.' }),
    isNetworkProgram: t.boolean({ description: 'Offered network-wide rather than by one site.', resolve: (p) => p.tenantId === null }),
    site: t.relation('tenant', { nullable: true, description: 'The site offering it; null for a network program.' }),
    partner: t.relation('partner', { nullable: true, description: 'The partner running it, if any.' }),
    healthChampion: t.relation('healthChampion', {
      nullable: true,
      description: 'The Health Champion leading it, if any (visible to the staff of its site).',
    }),
    needs: t.expose('needs', { type: [NeedEnum], description: 'Needs it addresses.' }),
    schedule: t.exposeString('schedule', { nullable: true, description: 'When it meets, in words.' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'How many people it can take.' }),
    languages: t.exposeStringList('languages', { description: 'Languages it runs in (ISO 639 codes).' }),
    cost: t.expose('cost', { type: CostLevelEnum, description: 'What it costs the client.' }),
    location: t.exposeString('location', { nullable: true, description: 'Where it takes place.' }),
    active: t.exposeBoolean('active', { description: 'Whether it currently runs.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
  }),
});

export const ProgramLevelEnum = describedEnum<'SITE' | 'NETWORK'>('ProgramLevel', 'Whether a program is one site’s or the whole network’s.', {
  SITE: 'Offered by one site.',
  NETWORK: 'Offered network-wide.',
});

export const ProgramConnection = connectionOf(ProgramNode, 'Program');

builder.queryField('programs', (t) =>
  t.prismaConnection(
    {
      authz: 'readPrograms',
      type: 'Program',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description:
        'Programs you can prescribe or read: your site’s and the network’s (staff), or those of your partnered sites and the network (partners with programs:read).',
      args: {
        need: t.arg({ type: NeedEnum, required: false, description: 'Only programs addressing this need.' }),
        runBy: t.arg({ type: ProgramRunnerEnum, required: false, description: 'Only programs run by this kind of runner.' }),
        language: t.arg.string({ required: false, description: 'Only programs running in this language (ISO 639 code).' }),
        cost: t.arg({ type: CostLevelEnum, required: false, description: 'Only programs at this cost level.' }),
        search: t.arg.string({ required: false, description: 'Part of the name, description or location.' }),
        level: t.arg({ type: ProgramLevelEnum, required: false, description: 'Only site programs, or only network programs; both when left out.' }),
        activeOnly: t.arg.boolean({ required: false, defaultValue: true, description: 'Leave out programs that no longer run.' }),
      },
      resolve: (query, _root, args, ctx) => ctx.db.program.findMany({ ...query, where: programsWhere(args), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
      totalCount: (_root, args, ctx) => ctx.db.program.count({ where: programsWhere(args) }),
    },
    ProgramConnection,
  ),
);

type ProgramFilter = {
  need?: Need | null;
  runBy?: ProgramRunner | null;
  language?: string | null;
  cost?: CostLevel | null;
  search?: string | null;
  level?: 'SITE' | 'NETWORK' | null;
  activeOnly?: boolean | null;
};

function programsWhere(args: ProgramFilter): Prisma.ProgramWhereInput {
  const search = args.search?.trim();
  return {
    ...(args.need ? { needs: { has: args.need } } : {}),
    ...(args.runBy ? { runBy: args.runBy } : {}),
    ...(args.language ? { languages: { has: args.language } } : {}),
    ...(args.cost ? { cost: args.cost } : {}),
    ...(search ? containsText(['name', 'description', 'location'], search) : {}),
    ...(args.level ? { tenantId: args.level === 'NETWORK' ? null : { not: null } } : {}),
    ...(args.activeOnly ? { active: true } : {}),
  };
}

const programFields = {
  name: requiredText(200),
  description: optionalFreeText(2000),
  runBy: z.enum(ProgramRunner),
  partnerId: z.string().nullish(),
  healthChampionId: z.string().nullish(),
  needs: z.array(z.enum(Need)).max(16),
  schedule: optionalText(300),
  capacity: z.number().int().positive('must be at least 1').max(10_000).nullish(),
  languages: languageCodes,
  cost: z.enum(CostLevel),
  location: optionalText(300),
  active: z.boolean(),
};
const createProgramRules = {
  ...programFields,
  needs: programFields.needs.optional(),
  languages: programFields.languages.optional(),
  cost: programFields.cost.optional(),
  active: programFields.active.optional(),
};

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;
const programInputFields = (t: InputFields, required: boolean) => ({
  name: t.string({ required, description: 'Name of the program.' }),
  description: t.string({ description: 'What it offers.' }),
  runBy: t.field({ type: ProgramRunnerEnum, required, description: 'Who runs it.' }),
  partnerId: t.id({ description: 'The partner running it: required when run by a partner, and only then.' }),
  healthChampionId: t.id({
    description: 'The Health Champion of your site leading it: required when run by a Health Champion, and only then.',
  }),
  needs: t.field({ type: [NeedEnum], description: 'Needs it addresses.' }),
  schedule: t.string({ description: 'When it meets, in words.' }),
  capacity: t.int({ description: 'How many people it can take.' }),
  languages: t.stringList({ description: 'Languages it runs in (ISO 639 codes).' }),
  cost: t.field({ type: CostLevelEnum, description: 'What it costs the client (default FREE).' }),
  location: t.string({ description: 'Where it takes place.' }),
  active: t.boolean({ description: 'Whether it currently runs (default true).' }),
});

const CreateProgramInput = builder
  .inputType('CreateProgramInput', {
    description: 'A new program: of your site (site staff), or of the network (Alliance admins).',
    fields: (t) => programInputFields(t, true),
  })
  .validate(inputRules(createProgramRules));

const UpdateProgramInput = builder
  .inputType('UpdateProgramInput', {
    description: 'Changes to a program you keep; fields left out stay as they are, null clears an optional one.',
    fields: (t) => ({ ...versionedChangeFields(t, 'program'), ...programInputFields(t, false) }),
  })
  .validate(inputRules(changeRules(programFields)));

type Leaders = { runBy: ProgramRunner; partnerId?: string | null; healthChampionId?: string | null };

/**
 * Who runs the program, checked: a partner the site may work with for PARTNER, a Health Champion
 * of the same site for HEALTH_CHAMPION, neither for SITE. Ids left out keep `current` ones.
 */
async function leadersOf(ctx: GraphQLContext, tenantId: string | null, input: Leaders, current: Leaders = input) {
  const conflicting = (field: 'partnerId' | 'healthChampionId', runner: ProgramRunner) =>
    input[field] && input.runBy !== runner ? [{ field: `input.${field}`, message: `is only for a program run by ${runner}` }] : [];
  const problems = [...conflicting('partnerId', 'PARTNER'), ...conflicting('healthChampionId', 'HEALTH_CHAMPION')];
  if (input.runBy === 'HEALTH_CHAMPION' && tenantId === null)
    problems.push({ field: 'input.runBy', message: 'a network program cannot be led by a Health Champion of one site' });
  if (problems.length) throw badUserInput(problems);

  const leaders = { runBy: input.runBy, partnerId: null as string | null, healthChampionId: null as string | null };
  if (input.runBy === 'PARTNER') {
    if (input.partnerId) leaders.partnerId = await partnerFor(ctx.db, tenantId, input.partnerId, 'input.partnerId');
    else if (input.partnerId === undefined && current.runBy === 'PARTNER') leaders.partnerId = current.partnerId ?? null;
    if (!leaders.partnerId) throw badUserInput([{ field: 'input.partnerId', message: 'is required for a program run by a partner' }]);
  }
  if (input.runBy === 'HEALTH_CHAMPION') {
    if (input.healthChampionId) {
      // Row-level security shows only the caller's own site's champions.
      const champion = await ctx.db.healthChampion.findUnique({
        where: { id: idOf(input.healthChampionId, 'HealthChampion', 'input.healthChampionId') },
        select: { id: true },
      });
      if (!champion) throw notFound('Health Champion');
      leaders.healthChampionId = champion.id;
    } else if (input.healthChampionId === undefined && current.runBy === 'HEALTH_CHAMPION') {
      leaders.healthChampionId = current.healthChampionId ?? null;
    }
    if (!leaders.healthChampionId) throw badUserInput([{ field: 'input.healthChampionId', message: 'is required for a program led by a Health Champion' }]);
  }
  return leaders;
}

/** A program the caller keeps: site staff their site's, the Alliance the network's. */
async function keptProgram(ctx: GraphQLContext, globalId: string, field = 'id') {
  // Row-level security shows staff their own site's and the network's, the Alliance only the network's.
  const program = await ctx.db.program.findUnique({ where: { id: idOf(globalId, 'Program', field) } });
  if (!program) throw notFound('Program');
  if (ctx.principal?.kind === 'STAFF' && program.tenantId === null) throw forbidden('Network programs are kept by the Alliance');
  return program;
}

builder.mutationFields((t) => ({
  createProgram: t.prismaField({
    authz: 'keepPrograms',
    type: 'Program',
    description: 'Adds a program: to your site (program coordinators, site admins), or to the network (Alliance admins).',
    args: { input: t.arg({ type: CreateProgramInput, required: true, description: 'The program.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = args.input;
      const tenantId = ctx.principal?.kind === 'STAFF' ? ctx.principal.tenantId : null;
      const data: Prisma.ProgramUncheckedCreateInput = { ...input, ...(await leadersOf(ctx, tenantId, input)), tenantId };
      return ctx.db.program.create({ ...query, data });
    },
  }),
  updateProgram: t.prismaField({
    authz: 'keepPrograms',
    type: 'Program',
    description: 'Changes a program you keep.',
    args: { input: t.arg({ type: UpdateProgramInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, runBy, partnerId, healthChampionId, ...input } = args.input;
      const program = await keptProgram(ctx, id, 'input.id');
      checkVersion('program', program, expectedVersion);
      const leaders =
        runBy || partnerId !== undefined || healthChampionId !== undefined
          ? await leadersOf(ctx, program.tenantId, { runBy: runBy ?? program.runBy, partnerId, healthChampionId }, program)
          : {};
      checkSaved(
        'program',
        await ctx.db.program.updateMany({ where: { id: program.id, version: expectedVersion }, data: nextVersion({ ...input, ...leaders }) }),
      );
      return ctx.db.program.findUniqueOrThrow({ ...query, where: { id: program.id } });
    },
  }),
  deactivateProgram: t.prismaField({
    authz: 'keepPrograms',
    type: 'Program',
    description: 'Marks a program you keep as no longer running: it stays on record, but lists leave it out by default.',
    args: { id: t.arg.id({ required: true, description: 'The program.' }) },
    resolve: async (query, _root, args, ctx) => {
      const program = await keptProgram(ctx, String(args.id));
      if (!program.active) throw invalidTransition('This program is already inactive');
      return ctx.db.program.update({ ...query, where: { id: program.id }, data: { active: false } });
    },
  }),
}));
