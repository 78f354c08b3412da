// Health Champions: volunteers, often clients themselves, who lead activities at one site. That a
// champion is a client is health information: the link is readable only by roles that read PHI.
import { z } from 'zod';
import { phi } from '../privacy/marking.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import type { GraphQLContext } from '../graphql/context.js';
import { forbidden, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { canReadPhi } from '../auth/principal.js';
import { containing, requiredText, textList } from '../shared/fields.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';

export const HealthChampionNode = builder.prismaNode('HealthChampion', {
  authz: 'readHealthChampions',
  nullable: true,
  description: 'A volunteer Health Champion who leads activities at one site.',
  id: { field: 'id' },
  fields: (t) => ({
    displayName: t.exposeString('displayName', { description: 'Name the champion goes by.' }),
    gifts: t.exposeStringList('gifts', { description: 'Gifts and skills the champion shares.' }),
    active: t.exposeBoolean('active', { description: 'Whether the champion currently volunteers.' }),
    since: t.expose('since', { type: 'Date', description: 'When the champion began.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    site: t.relation('tenant', { description: 'The site the champion volunteers with.' }),
    programs: t.relation('programs', {
      description: 'Programs the champion leads, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    client: t.relation('client', {
      authz: 'readClients',
      nullable: true,
      description: 'The champion’s own client record, when the champion is a client of the site. Health information.',
      extensions: phi<{ tenantId: string; clientId: string | null }>('IDENTITY', (c) => (c.clientId ? { tenantId: c.tenantId, clientId: c.clientId } : null)),
    }),
  }),
});

export const HealthChampionConnection = connectionOf(HealthChampionNode, 'HealthChampion');

function championsWhere(args: { search?: string | null; activeOnly?: boolean | null }) {
  const search = args.search?.trim();
  return {
    ...(args.activeOnly ? { active: true } : {}),
    ...(search ? { OR: [{ displayName: containing(search) }, { gifts: { has: search } }] } : {}),
  };
}

builder.queryField('healthChampions', (t) =>
  t.prismaConnection(
    {
      authz: 'readHealthChampions',
      type: 'HealthChampion',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Health Champions of your site, by name.',
      args: {
        search: t.arg.string({ required: false, description: 'Part of the name, or one of the gifts exactly.' }),
        activeOnly: t.arg.boolean({ required: false, defaultValue: true, description: 'Leave out champions who no longer volunteer.' }),
      },
      resolve: (query, _root, args, ctx) =>
        ctx.db.healthChampion.findMany({ ...query, where: championsWhere(args), orderBy: [{ displayName: 'asc' }, { id: 'asc' }] }),
      totalCount: (_root, args, ctx) => ctx.db.healthChampion.count({ where: championsWhere(args) }),
    },
    HealthChampionConnection,
  ),
);

const championFields = {
  displayName: requiredText(100),
  gifts: textList,
  active: z.boolean(),
  since: z.date(),
  clientId: z.string().nullish(),
};
const createChampionRules = {
  ...championFields,
  gifts: championFields.gifts.optional(),
  active: championFields.active.optional(),
  since: championFields.since.optional(),
};

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;
const championInputFields = (t: InputFields, required: boolean) => ({
  displayName: t.string({ required, description: 'Name the champion goes by.' }),
  gifts: t.stringList({ description: 'Gifts and skills the champion shares.' }),
  active: t.boolean({ description: 'Whether the champion currently volunteers (default true).' }),
  since: t.field({ type: 'Date', description: 'When the champion began (default today).' }),
  clientId: t.id({ description: 'The champion’s client record at your site; linking one needs a role that reads client records.' }),
});

const CreateHealthChampionInput = builder
  .inputType('CreateHealthChampionInput', {
    description: 'A new Health Champion of your site.',
    fields: (t) => championInputFields(t, true),
  })
  .validate(inputRules(createChampionRules));

const UpdateHealthChampionInput = builder
  .inputType('UpdateHealthChampionInput', {
    description: 'Changes to a Health Champion of your site; fields left out stay as they are, null clears the client link.',
    fields: (t) => ({ ...versionedChangeFields(t, 'champion'), ...championInputFields(t, false) }),
  })
  .validate(inputRules(changeRules(championFields)));

/**
 * That a client is a champion is part of their record (IDENTITY): linking or unlinking one is a
 * write of it, audited for every client whose link changed.
 */
function recordLinkChange(ctx: GraphQLContext, tenantId: string, before: string | null, after: string | null) {
  if (before === after) return;
  for (const clientId of [before, after]) if (clientId) ctx.privacy.record('WRITE', { tenantId, clientId }, 'IDENTITY');
}

/** The client id to link, checked: only a caller who may read client records may name one, of their own site. */
async function clientLink(ctx: GraphQLContext, globalId: string | null | undefined) {
  if (globalId === null || globalId === undefined) return globalId;
  if (!canReadPhi(ctx.principal)) throw forbidden('Linking a champion to a client record needs a role that reads client records');
  const client = await ctx.db.client.findUnique({ where: { id: idOf(globalId, 'Client', 'input.clientId') }, select: { id: true } });
  if (!client) throw notFound('Client');
  return client.id;
}

builder.mutationFields((t) => ({
  createHealthChampion: t.prismaField({
    authz: 'keepHealthChampions',
    type: 'HealthChampion',
    description: 'Welcomes a new Health Champion at your site.',
    args: { input: t.arg({ type: CreateHealthChampionInput, required: true, description: 'The champion.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { clientId, ...input } = args.input;
      const { tenantId } = principalFor(ctx, 'keepHealthChampions');
      const linked = await clientLink(ctx, clientId);
      const champion = await ctx.db.healthChampion.create({ ...query, data: { ...input, clientId: linked, tenantId } });
      recordLinkChange(ctx, tenantId, null, linked ?? null);
      return champion;
    },
  }),
  updateHealthChampion: t.prismaField({
    authz: 'keepHealthChampions',
    type: 'HealthChampion',
    description: 'Changes a Health Champion of your site.',
    args: { input: t.arg({ type: UpdateHealthChampionInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id: globalId, expectedVersion, clientId, ...input } = args.input;
      const id = idOf(globalId, 'HealthChampion', 'input.id');
      const champion = await ctx.db.healthChampion.findUnique({ where: { id }, select: { tenantId: true, clientId: true, version: true } });
      if (!champion) throw notFound('Health Champion');
      checkVersion('Health Champion', champion, expectedVersion);
      const linked = await clientLink(ctx, clientId);
      checkSaved(
        'Health Champion',
        await ctx.db.healthChampion.updateMany({ where: { id, version: expectedVersion }, data: nextVersion({ ...input, clientId: linked }) }),
      );
      if (linked !== undefined) recordLinkChange(ctx, champion.tenantId, champion.clientId, linked);
      return ctx.db.healthChampion.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
