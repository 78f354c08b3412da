// Partner organizations: network-level ones the Alliance keeps, and local ones a site adds and
// keeps itself. Every caller may read them all; who may change one depends on who keeps it.
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { PartnerKind } from '../generated/prisma/enums.js';
import type { GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { conflict, forbidden, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { isUniqueViolation } from '../db/errors.js';
import type { RequestDb } from '../db/request-scope.js';
import { optionalFreeText, requiredText, webAddress } from '../shared/fields.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';

export const PartnerKindEnum = describedEnum<PartnerKind>('PartnerKind', 'The sector a partner organization works in.', {
  ARTS_AND_CULTURE: 'Museums, galleries, orchestras and other arts and culture institutions.',
  ENVIRONMENT: 'Parks, greenspace and nature organizations.',
  INFORMATION_AND_REFERRAL: 'Information and referral services such as 211.',
  HEALTH_CARE: 'Health care providers and networks (health information custodians).',
  SOCIAL_SERVICES: 'Social services: food, housing, income, settlement.',
  COMMUNITY_GROUP: 'A local community group.',
});

export const PartnerOrganizationNode = builder.prismaNode('PartnerOrganization', {
  authz: 'reached',
  nullable: true,
  description: 'An organization sites refer clients to or receive referrals from (ROM, TeamCare, 211 Ontario, …).',
  id: { field: 'id' },
  fields: (t) => ({
    slug: t.exposeString('id', { description: 'Stable slug of the partner (for example "teamcare").' }),
    name: t.exposeString('name', { description: 'Name of the organization.' }),
    kind: t.expose('kind', { type: PartnerKindEnum, description: 'Its sector.' }),
    isHealthCustodian: t.exposeBoolean('isHealthCustodian', {
      description: 'A health information custodian under PHIPA; any other partner receives health information only with express consent.',
    }),
    website: t.exposeString('website', { nullable: true, description: 'Public website.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the organization offers.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    addedBySite: t.relation('addedByTenant', {
      nullable: true,
      description: 'The site that added this local partner and keeps it; null for a network-level partner the Alliance keeps.',
    }),
  }),
});

export const PartnerOrganizationConnection = connectionOf(PartnerOrganizationNode, 'PartnerOrganization');

builder.queryFields((t) => ({
  partnerOrganizations: t.prismaConnection(
    {
      authz: 'readPartnerOrganizations',
      type: 'PartnerOrganization',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Partner organizations of the network, by id.',
      resolve: (query, _root, _args, ctx) => ctx.db.partnerOrganization.findMany({ ...query, orderBy: { id: 'asc' } }),
      totalCount: (_root, _args, ctx) => ctx.db.partnerOrganization.count(),
    },
    PartnerOrganizationConnection,
  ),
}));

const partnerFields = {
  name: requiredText(200),
  kind: z.enum(PartnerKind),
  isHealthCustodian: z.boolean(),
  website: webAddress.nullish(),
  description: optionalFreeText(2000),
};
const createPartnerRules = {
  ...partnerFields,
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens')
    .max(60),
  isHealthCustodian: partnerFields.isHealthCustodian.optional(),
};

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;
const partnerInputFields = (t: InputFields, required: boolean) => ({
  name: t.string({ required, description: 'Name of the organization.' }),
  kind: t.field({ type: PartnerKindEnum, required, description: 'Its sector.' }),
  isHealthCustodian: t.boolean({ description: 'A health information custodian under PHIPA (default false).' }),
  website: t.string({ description: 'Public website (http or https).' }),
  description: t.string({ description: 'What the organization offers.' }),
});

const CreatePartnerOrganizationInput = builder
  .inputType('CreatePartnerOrganizationInput', {
    description: 'A new partner organization: network-level when the Alliance adds it, local to your site when a site adds it.',
    fields: (t) => ({
      slug: t.string({
        required: true,
        description: 'Stable slug, unique in the network (for example "guelph-tool-library"): lowercase letters, digits, hyphens.',
      }),
      ...partnerInputFields(t, true),
    }),
  })
  .validate(inputRules(createPartnerRules));

const UpdatePartnerOrganizationInput = builder
  .inputType('UpdatePartnerOrganizationInput', {
    description: 'Changes to a partner organization; fields left out stay as they are, null clears an optional one.',
    fields: (t) => ({ ...versionedChangeFields(t, 'organization'), ...partnerInputFields(t, false) }),
  })
  .validate(inputRules(changeRules(partnerFields)));

/**
 * A partner a site (or, with `tenantId` null, the network) may work with: any network-level
 * partner, or one of the site's own local partners. Another site's local partner is not found.
 */
export async function partnerFor(db: RequestDb, tenantId: string | null, globalId: string, field: string) {
  const partner = await db.partnerOrganization.findFirst({
    where: { id: idOf(globalId, 'PartnerOrganization', field), OR: [{ addedByTenantId: null }, ...(tenantId ? [{ addedByTenantId: tenantId }] : [])] },
    select: { id: true },
  });
  if (!partner) throw notFound('Partner organization');
  return partner.id;
}

/** A partner the caller keeps: the Alliance its network-level ones, a site its own local ones. */
async function keptPartner(ctx: GraphQLContext, globalId: string, field: string) {
  const partner = await ctx.db.partnerOrganization.findUnique({ where: { id: idOf(globalId, 'PartnerOrganization', field) } });
  if (!partner) throw notFound('Partner organization');
  const principal = principalFor(ctx, 'keepPartnerOrganizations');
  if (principal.kind === 'STAFF') {
    if (partner.addedByTenantId === null) throw forbidden('Network-level partners are kept by the Alliance');
    // Another site's local partner is that site's business: answered like one that does not exist.
    if (partner.addedByTenantId !== principal.tenantId) throw notFound('Partner organization');
  } else if (partner.addedByTenantId !== null) {
    throw forbidden('A local partner is kept by the site that added it');
  }
  return partner;
}

builder.mutationFields((t) => ({
  createPartnerOrganization: t.prismaField({
    authz: 'keepPartnerOrganizations',
    type: 'PartnerOrganization',
    description: 'Adds a partner organization: network-level (Alliance admins), or local to your site (site admins).',
    args: { input: t.arg({ type: CreatePartnerOrganizationInput, required: true, description: 'The organization.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { slug, ...input } = args.input;
      const addedByTenantId = ctx.principal?.kind === 'STAFF' ? ctx.principal.tenantId : null;
      try {
        return await ctx.db.partnerOrganization.create({ ...query, data: { ...input, id: slug, addedByTenantId } });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`the slug ${slug} is already taken`);
        throw error;
      }
    },
  }),
  updatePartnerOrganization: t.prismaField({
    authz: 'keepPartnerOrganizations',
    type: 'PartnerOrganization',
    description: 'Changes a partner organization you keep: network-level ones (Alliance admins), your site’s local ones (site admins).',
    args: { input: t.arg({ type: UpdatePartnerOrganizationInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, ...input } = args.input;
      const partner = await keptPartner(ctx, id, 'input.id');
      checkVersion('partner organization', partner, expectedVersion);
      checkSaved(
        'partner organization',
        await ctx.db.partnerOrganization.updateMany({ where: { id: partner.id, version: expectedVersion }, data: nextVersion(input) }),
      );
      return ctx.db.partnerOrganization.findUniqueOrThrow({ ...query, where: { id: partner.id } });
    },
  }),
}));
