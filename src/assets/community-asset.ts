// The asset map: groups, businesses, public spaces, institutions and structures a link worker can
// connect a client to. A site sees its own assets and those other sites share with the network
// (row-level security); it changes only its own.
import { z } from 'zod';
import { AssetKind, CostLevel, Need, Visibility } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import type { GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { badUserInput, invalidTransition, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import type { Principal } from '../auth/principal.js';
import { CostLevelEnum, NeedEnum } from '../shared/vocabulary.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';
import {
  canadianPostalCode,
  containsText,
  emailAddress,
  languageCodes,
  latitude,
  longitude,
  optionalFreeText,
  optionalText,
  phoneNumber,
  requiredText,
  textList,
  webAddress,
} from '../shared/fields.js';
import { assetsNear, countAssetsNear, type Measured } from './distance.js';

export const AssetKindEnum = describedEnum<AssetKind>('AssetKind', 'What kind of community asset an entry is.', {
  GROUP: 'A community group or association.',
  BUSINESS: 'A local business.',
  PUBLIC_SPACE: 'A public space: park, trail, garden, square.',
  INSTITUTION: 'An institution: library, school, museum, place of worship.',
  PHYSICAL_STRUCTURE: 'A physical structure: community centre, hall, rink.',
});

export const VisibilityEnum = describedEnum<Visibility>('Visibility', 'Who may see an entry of the asset map.', {
  SITE: 'Only the site that keeps it.',
  NETWORK: 'Every site of the network.',
});

export const CommunityAssetNode = builder.prismaNode('CommunityAsset', {
  authz: 'readCommunityAssets',
  nullable: true,
  description: 'An entry of a site’s asset map, visible to that site or shared with the whole network.',
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the asset.' }),
    kind: t.expose('kind', { type: AssetKindEnum, description: 'What kind of asset it is.' }),
    categories: t.expose('categories', { type: [NeedEnum], description: 'Needs it helps with.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it offers.' }),
    address: t.exposeString('address', { nullable: true, description: 'Street address.' }),
    city: t.exposeString('city', { nullable: true, description: 'City or town.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Canadian postal code.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude in decimal degrees (WGS 84).' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude in decimal degrees (WGS 84).' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Public phone number.' }),
    email: t.exposeString('email', { nullable: true, description: 'Public email address.' }),
    website: t.exposeString('website', { nullable: true, description: 'Public website (http or https).' }),
    cost: t.expose('cost', { type: CostLevelEnum, description: 'What using it costs the client.' }),
    costNote: t.exposeString('costNote', { nullable: true, description: 'Details about the cost.' }),
    languages: t.exposeStringList('languages', { description: 'Languages it serves in (ISO 639 codes).' }),
    accessibility: t.exposeStringList('accessibility', { description: 'Accessibility features (for example "step-free entrance").' }),
    visibility: t.expose('visibility', { type: VisibilityEnum, description: 'Whether only its site or the whole network sees it.' }),
    retired: t.boolean({ description: 'Whether it was taken off the map.', resolve: (asset) => asset.retiredAt !== null }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true, description: 'When it was taken off the map.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    site: t.relation('tenant', { description: 'The site that keeps this entry.' }),
  }),
});

const NearInput = builder
  .inputType('NearInput', {
    description: 'A point and a radius, to find assets nearby.',
    fields: (t) => ({
      latitude: t.float({ required: true, description: 'Latitude in decimal degrees, −90 to 90.' }),
      longitude: t.float({ required: true, description: 'Longitude in decimal degrees, −180 to 180.' }),
      withinKm: t.float({ required: true, defaultValue: 10, description: 'Radius in kilometres (more than 0, at most 500; default 10).' }),
    }),
  })
  .validate(inputRules({ latitude, longitude, withinKm: z.number().positive('must be more than 0').max(500, 'must be at most 500') }));

/** The caller's own site, or a filter that matches nothing for a caller without one. */
const ownSite = (principal: Principal | null): Prisma.CommunityAssetWhereInput =>
  principal?.kind === 'STAFF' ? { tenantId: principal.tenantId } : { tenantId: { in: [] } };

export const CommunityAssetConnection = connectionOf(CommunityAssetNode, 'CommunityAsset', (t) => ({
  distanceKm: t.float({
    nullable: true,
    description: 'Great-circle distance in kilometres from the `near` point; null without one.',
    resolve: (edge) => (edge.node as Measured).distanceKm ?? null,
  }),
}));

type AssetFilter = {
  search?: string | null;
  category?: Need | null;
  kind?: AssetKind | null;
  language?: string | null;
  cost?: CostLevel | null;
  includeRetired?: boolean | null;
  includeNetwork?: boolean | null;
};

function assetsWhere(args: AssetFilter, ctx: GraphQLContext): Prisma.CommunityAssetWhereInput {
  const search = args.search?.trim();
  return {
    ...(search ? containsText(['name', 'description', 'address', 'city'], search) : {}),
    ...(args.category ? { categories: { has: args.category } } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
    ...(args.language ? { languages: { has: args.language } } : {}),
    ...(args.cost ? { cost: args.cost } : {}),
    ...(args.includeRetired ? {} : { retiredAt: null }),
    ...(args.includeNetwork === false ? ownSite(ctx.principal) : {}),
  };
}

builder.queryField('communityAssets', (t) =>
  t.prismaConnection(
    {
      authz: 'readCommunityAssets',
      type: 'CommunityAsset',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'The asset map: your site’s assets and those other sites share with the network, by name; nearest first when `near` is given.',
      args: {
        search: t.arg.string({ required: false, description: 'Part of the name, description, address or city.' }),
        category: t.arg({ type: NeedEnum, required: false, description: 'Only assets helping with this need.' }),
        kind: t.arg({ type: AssetKindEnum, required: false, description: 'Only assets of this kind.' }),
        language: t.arg.string({ required: false, description: 'Only assets serving in this language (ISO 639 code).' }),
        cost: t.arg({ type: CostLevelEnum, required: false, description: 'Only assets at this cost level.' }),
        near: t.arg({ type: NearInput, required: false, description: 'Only assets within this distance of the point, nearest first.' }),
        includeRetired: t.arg.boolean({ required: false, defaultValue: false, description: 'Also list assets taken off the map.' }),
        includeNetwork: t.arg.boolean({
          required: false,
          defaultValue: true,
          description: 'Also list assets other sites share with the network (false: your site’s own only, none for the Alliance).',
        }),
      },
      resolve: (query, _root, args, ctx) => {
        const where = assetsWhere(args, ctx);
        if (args.near) return assetsNear(ctx.db, query, where, args.near);
        return ctx.db.communityAsset.findMany({ ...query, where, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      },
      totalCount: (_root, args, ctx) =>
        args.near ? countAssetsNear(ctx.db, assetsWhere(args, ctx), args.near) : ctx.db.communityAsset.count({ where: assetsWhere(args, ctx) }),
    },
    CommunityAssetConnection,
  ),
);

const assetFields = {
  name: requiredText(200),
  kind: z.enum(AssetKind),
  categories: z.array(z.enum(Need)).max(16),
  description: optionalFreeText(2000),
  address: optionalText(300),
  city: optionalText(100),
  postalCode: canadianPostalCode.nullish(),
  latitude: latitude.nullish(),
  longitude: longitude.nullish(),
  phone: phoneNumber.nullish(),
  email: emailAddress.nullish(),
  website: webAddress.nullish(),
  cost: z.enum(CostLevel),
  costNote: optionalText(500),
  languages: languageCodes,
  accessibility: textList,
  visibility: z.enum(Visibility),
};
const createAssetRules = {
  ...assetFields,
  categories: assetFields.categories.optional(),
  cost: assetFields.cost.optional(),
  languages: assetFields.languages.optional(),
  accessibility: assetFields.accessibility.optional(),
  visibility: assetFields.visibility.optional(),
};

/** A point needs both coordinates: the distance search passes over an asset with only one. */
function checkCoordinates(asset: { latitude?: number | null; longitude?: number | null }) {
  if (asset.latitude == null && asset.longitude != null) throw badUserInput([{ field: 'input.latitude', message: 'is required with longitude' }]);
  if (asset.longitude == null && asset.latitude != null) throw badUserInput([{ field: 'input.longitude', message: 'is required with latitude' }]);
}

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;
const assetInputFields = (t: InputFields, required: boolean) => ({
  name: t.string({ required, description: 'Name of the asset.' }),
  kind: t.field({ type: AssetKindEnum, required, description: 'What kind of asset it is.' }),
  categories: t.field({ type: [NeedEnum], description: 'Needs it helps with.' }),
  description: t.string({ description: 'What it offers.' }),
  address: t.string({ description: 'Street address.' }),
  city: t.string({ description: 'City or town.' }),
  postalCode: t.string({ description: 'Canadian postal code.' }),
  latitude: t.float({ description: 'Latitude in decimal degrees, −90 to 90 (with longitude).' }),
  longitude: t.float({ description: 'Longitude in decimal degrees, −180 to 180 (with latitude).' }),
  phone: t.string({ description: 'Public phone number.' }),
  email: t.string({ description: 'Public email address.' }),
  website: t.string({ description: 'Public website (http or https).' }),
  cost: t.field({ type: CostLevelEnum, description: 'What using it costs the client (default FREE).' }),
  costNote: t.string({ description: 'Details about the cost.' }),
  languages: t.stringList({ description: 'Languages it serves in (ISO 639 codes).' }),
  accessibility: t.stringList({ description: 'Accessibility features (for example "step-free entrance").' }),
  visibility: t.field({ type: VisibilityEnum, description: 'SITE (default) keeps it to your site; NETWORK shares it with every site.' }),
});

const CreateCommunityAssetInput = builder
  .inputType('CreateCommunityAssetInput', {
    description: 'A new entry of your site’s asset map.',
    fields: (t) => assetInputFields(t, true),
  })
  .validate(inputRules(createAssetRules));

const UpdateCommunityAssetInput = builder
  .inputType('UpdateCommunityAssetInput', {
    description: 'Changes to an entry of your site’s asset map; fields left out stay as they are, null clears an optional one.',
    fields: (t) => ({ ...versionedChangeFields(t, 'asset'), ...assetInputFields(t, false) }),
  })
  .validate(inputRules(changeRules(assetFields)));

/** One of the caller's own site's assets: another site's, even one shared with the network, is not found. */
async function ownAsset(ctx: GraphQLContext, globalId: string, field = 'id') {
  const { tenantId } = principalFor(ctx, 'keepCommunityAssets');
  const asset = await ctx.db.communityAsset.findFirst({ where: { id: idOf(globalId, 'CommunityAsset', field), tenantId } });
  if (!asset) throw notFound('Community asset');
  return asset;
}

builder.mutationFields((t) => ({
  createCommunityAsset: t.prismaField({
    authz: 'keepCommunityAssets',
    type: 'CommunityAsset',
    description: 'Adds an entry to your site’s asset map.',
    args: { input: t.arg({ type: CreateCommunityAssetInput, required: true, description: 'The asset.' }) },
    resolve: (query, _root, args, ctx) => {
      const { input } = args;
      checkCoordinates(input);
      return ctx.db.communityAsset.create({ ...query, data: { ...input, tenantId: principalFor(ctx, 'keepCommunityAssets').tenantId } });
    },
  }),
  updateCommunityAsset: t.prismaField({
    authz: 'keepCommunityAssets',
    type: 'CommunityAsset',
    description: 'Changes an entry of your site’s asset map.',
    args: { input: t.arg({ type: UpdateCommunityAssetInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, ...input } = args.input;
      const asset = await ownAsset(ctx, id, 'input.id');
      checkVersion('community asset', asset, expectedVersion);
      checkCoordinates({ latitude: asset.latitude, longitude: asset.longitude, ...input });
      checkSaved('community asset', await ctx.db.communityAsset.updateMany({ where: { id: asset.id, version: expectedVersion }, data: nextVersion(input) }));
      return ctx.db.communityAsset.findUniqueOrThrow({ ...query, where: { id: asset.id } });
    },
  }),
  retireCommunityAsset: t.prismaField({
    authz: 'keepCommunityAssets',
    type: 'CommunityAsset',
    description: 'Takes an entry off your site’s asset map: it stays on record, but searches leave it out.',
    args: { id: t.arg.id({ required: true, description: 'The asset.' }) },
    resolve: async (query, _root, args, ctx) => {
      const asset = await ownAsset(ctx, String(args.id));
      if (asset.retiredAt) throw invalidTransition('This asset is already retired');
      return ctx.db.communityAsset.update({ ...query, where: { id: asset.id }, data: { retiredAt: new Date() } });
    },
  }),
}));
