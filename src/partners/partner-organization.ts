import { builder } from '../graphql/builder.js';
import type { PartnerKind } from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { allow } from 'graphql-shield';
import { isAuthenticated } from '../auth/rules.js';

export const PartnerKindEnum = describedEnum<PartnerKind>('PartnerKind', 'The sector a partner organization works in.', {
  ARTS_AND_CULTURE: 'Museums, galleries, orchestras and other arts and culture institutions.',
  ENVIRONMENT: 'Parks, greenspace and nature organizations.',
  INFORMATION_AND_REFERRAL: 'Information and referral services such as 211.',
  HEALTH_CARE: 'Health care providers and networks (health information custodians).',
  SOCIAL_SERVICES: 'Social services: food, housing, income, settlement.',
  COMMUNITY_GROUP: 'A local community group.',
});

export const PartnerOrganizationNode = builder.prismaNode('PartnerOrganization', {
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
  }),
});

builder.queryFields((t) => ({
  partnerOrganizations: t.prismaConnection({
    type: 'PartnerOrganization',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description: 'Partner organizations of the network, by id.',
    resolve: (query, _root, _args, ctx) => ctx.db.partnerOrganization.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
}));

export const partnerOrganizationPermissions: PermissionMap = {
  Query: { partnerOrganizations: isAuthenticated },
  PartnerOrganization: allow,
  QueryPartnerOrganizationsConnection: allow,
  QueryPartnerOrganizationsConnectionEdge: allow,
};
