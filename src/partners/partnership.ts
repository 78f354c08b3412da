// Partnerships: a partner's relationship with one site and the scopes it grants there. Row-level
// security shows a site its own, the Alliance all of them, and a partner those it holds.
import { z } from 'zod';
import { PartnerScope } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { describedEnum } from '../graphql/described-enum.js';
import { conflict, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { isUniqueViolation } from '../db/errors.js';
import { optionalFreeText } from '../shared/fields.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';
import { partnerFor } from './partner-organization.js';

export const PartnerScopeEnum = describedEnum<PartnerScope>('PartnerScope', 'What a partnership lets the partner do at the site.', {
  REFERRALS_CREATE: 'Submit referrals to the site’s link workers (token scope referrals:create).',
  REFERRALS_READ: 'Follow the status of the referrals it made (token scope referrals:read).',
  PROGRAMS_READ: 'Read the site’s programs (token scope programs:read).',
  WEBHOOKS_MANAGE: 'Register webhook endpoints (token scope webhooks:manage); they are told of changes where REFERRALS_READ is granted.',
});

export const PartnershipNode = builder.prismaNode('Partnership', {
  authz: 'readPartnerships',
  nullable: true,
  description: 'A partner organization’s relationship with one site, and what it may do there.',
  id: { field: 'id' },
  fields: (t) => ({
    site: t.relation('tenant', { description: 'The site.' }),
    partner: t.relation('partner', { description: 'The partner organization.' }),
    scopes: t.expose('scopes', { type: [PartnerScopeEnum], description: 'What the partner may do at the site.' }),
    active: t.exposeBoolean('active', { description: 'Whether the partnership is in force; an inactive one grants nothing.' }),
    startedOn: t.expose('startedOn', { type: 'Date', description: 'When the partnership began.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    note: t.exposeString('note', { nullable: true, authz: 'readPartnershipNote', description: 'The site’s note about the partnership.' }),
  }),
});

export const PartnershipConnection = connectionOf(PartnershipNode, 'Partnership');

const partnershipsWhere = (args: { activeOnly?: boolean | null }) => (args.activeOnly ? { active: true } : undefined);

builder.queryField('partnerships', (t) =>
  t.prismaConnection(
    {
      authz: 'readPartnerships',
      type: 'Partnership',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Partnerships: your site’s (site staff), every site’s (Alliance), or your own organization’s (partners); by site, then partner.',
      args: { activeOnly: t.arg.boolean({ required: false, defaultValue: false, description: 'Leave out partnerships no longer in force.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.partnership.findMany({
          ...query,
          where: partnershipsWhere(args),
          orderBy: [{ tenantId: 'asc' }, { partnerId: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_root, args, ctx) => ctx.db.partnership.count({ where: partnershipsWhere(args) }),
    },
    PartnershipConnection,
  ),
);

const partnershipFields = {
  scopes: z.array(z.enum(PartnerScope)).max(4),
  active: z.boolean(),
  note: optionalFreeText(2000),
};
const createPartnershipRules = {
  ...partnershipFields,
  partnerId: z.string(),
  startedOn: z.date().nullish(),
  active: partnershipFields.active.optional(),
};

const CreatePartnershipInput = builder
  .inputType('CreatePartnershipInput', {
    description: 'A partnership of your site with a partner organization.',
    fields: (t) => ({
      partnerId: t.id({ required: true, description: 'The partner: a network-level one, or one of your site’s local partners.' }),
      scopes: t.field({ type: [PartnerScopeEnum], required: true, description: 'What the partner may do at your site.' }),
      active: t.boolean({ description: 'Whether it is in force now (default true).' }),
      startedOn: t.field({ type: 'Date', description: 'When it began (default today).' }),
      note: t.string({ description: 'A note about the partnership.' }),
    }),
  })
  .validate(inputRules(createPartnershipRules));

const UpdatePartnershipInput = builder
  .inputType('UpdatePartnershipInput', {
    description: 'Changes to a partnership of your site; fields left out stay as they are.',
    fields: (t) => ({
      ...versionedChangeFields(t, 'partnership'),
      scopes: t.field({ type: [PartnerScopeEnum], description: 'What the partner may do at your site.' }),
      active: t.boolean({ description: 'Whether it is in force; false withdraws every scope at once.' }),
      note: t.string({ description: 'A note about the partnership; null clears it.' }),
    }),
  })
  .validate(inputRules(changeRules(partnershipFields)));

builder.mutationFields((t) => ({
  createPartnership: t.prismaField({
    authz: 'keepPartnerships',
    type: 'Partnership',
    description: 'Partners your site with an organization and says what it may do at your site.',
    args: { input: t.arg({ type: CreatePartnershipInput, required: true, description: 'The partnership.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { partnerId: globalPartnerId, scopes, ...input } = args.input;
      const { tenantId } = principalFor(ctx, 'keepPartnerships');
      const partnerId = await partnerFor(ctx.db, tenantId, globalPartnerId, 'input.partnerId');
      try {
        return await ctx.db.partnership.create({
          ...query,
          data: { tenantId, partnerId, scopes: [...new Set(scopes)], active: input.active, note: input.note, startedOn: input.startedOn ?? undefined },
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('your site already has a partnership with this organization; update it instead');
        throw error;
      }
    },
  }),
  updatePartnership: t.prismaField({
    authz: 'keepPartnerships',
    type: 'Partnership',
    description: 'Changes the scopes, state or note of one of your site’s partnerships.',
    args: { input: t.arg({ type: UpdatePartnershipInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id: globalId, expectedVersion, scopes, ...input } = args.input;
      const { tenantId } = principalFor(ctx, 'keepPartnerships');
      const id = idOf(globalId, 'Partnership', 'input.id');
      const partnership = await ctx.db.partnership.findFirst({ where: { id, tenantId }, select: { version: true } });
      if (!partnership) throw notFound('Partnership');
      checkVersion('partnership', partnership, expectedVersion);
      checkSaved(
        'partnership',
        await ctx.db.partnership.updateMany({
          where: { id, version: expectedVersion },
          data: nextVersion({ ...input, ...(scopes ? { scopes: [...new Set(scopes)] } : {}) }),
        }),
      );
      return ctx.db.partnership.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
