import { builder } from '../graphql/builder.js';
import type { RegionKind } from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';

export const RegionKindEnum = describedEnum<RegionKind>('RegionKind', 'Urban, rural or northern, as the pilot describes its sites.', {
  URBAN: 'A city centre.',
  RURAL: 'Rural communities.',
  NORTHERN: 'Northern Ontario.',
});

export const TenantNode = builder.prismaNode('Tenant', {
  authz: 'reached',
  nullable: true,
  description: 'A site: one Community Health Centre of the network.',
  id: { field: 'id' },
  fields: (t) => ({
    slug: t.exposeString('id', { description: 'Stable slug of the site, as in tokens (for example "guelph").' }),
    name: t.exposeString('name', { description: 'Full name of the centre.' }),
    regionKind: t.expose('regionKind', { type: RegionKindEnum, description: 'Urban, rural or northern.' }),
    languages: t.exposeStringList('languages', { description: 'ISO 639 codes of the languages served, main one first.' }),
    city: t.exposeString('city', { description: 'City of the main site.' }),
    servesArea: t.exposeString('servesArea', { nullable: true, description: 'The communities the centre serves.' }),
    founded: t.exposeInt('founded', { nullable: true, description: 'Year the centre was established, where known.' }),
    pilotStart: t.expose('pilotStart', { type: 'Date', description: 'Date the site joined social prescribing.' }),
  }),
});

builder.queryFields((t) => ({
  tenants: t.prismaField({
    authz: 'readSites',
    type: [TenantNode],
    description: 'All sites of the network, by name.',
    resolve: (query, _root, _args, ctx) => ctx.db.tenant.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  tenant: t.prismaField({
    authz: 'readSites',
    type: TenantNode,
    nullable: true,
    description: 'One site by its slug (for example "guelph"); null when there is none.',
    args: { id: t.arg.string({ required: true, description: 'The site slug.' }) },
    resolve: (query, _root, args, ctx) => ctx.db.tenant.findUnique({ ...query, where: { id: args.id } }),
  }),
}));
