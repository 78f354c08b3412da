import { builder } from '../graphql/builder.js';
import { principalFor } from './rules.js';
import { describedEnum } from '../graphql/described-enum.js';
import type { Principal } from './principal.js';

export const PrincipalKindEnum = describedEnum<Principal['kind']>('PrincipalKind', 'What kind of caller a token stands for.', {
  STAFF: 'Staff of one site.',
  NETWORK: 'Alliance staff, across sites (aggregates only).',
  PARTNER: 'A partner organization acting within its granted scopes.',
});

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  authz: 'reached',
  description: 'Who the API takes the caller to be, from the verified token. Holds no secrets.',
  fields: (t) => ({
    kind: t.field({ type: PrincipalKindEnum, description: 'Kind of caller.', resolve: (p) => p.kind }),
    subject: t.string({ description: 'The token subject.', resolve: (p) => p.subject }),
    tenant: t.string({
      nullable: true,
      description: 'Slug of the caller’s site, for site staff.',
      resolve: (p) => (p.kind === 'STAFF' ? p.tenantId : null),
    }),
    roles: t.stringList({ description: 'Roles the token grants.', resolve: (p) => (p.kind === 'PARTNER' ? ['PARTNER'] : p.roles) }),
    partner: t.string({
      nullable: true,
      description: 'Slug of the caller’s partner organization, for partners.',
      resolve: (p) => (p.kind === 'PARTNER' ? p.partnerId : null),
    }),
    scopes: t.stringList({ description: 'Partner scopes the token grants.', resolve: (p) => (p.kind === 'PARTNER' ? p.scopes : []) }),
    staffMember: t.prismaField({
      type: 'StaffMember',
      nullable: true,
      description: 'Your staff record at your site (made at your first sign-in unless the site requires provisioning); null for anyone but site staff.',
      resolve: (query, p, _args, ctx) =>
        p.kind === 'STAFF' ? ctx.db.staffMember.findUnique({ ...query, where: { tenantId_subject: { tenantId: p.tenantId, subject: p.subject } } }) : null,
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    authz: 'seeViewer',
    type: Viewer,
    description: 'The caller, as the API sees it.',
    resolve: (_root, _args, ctx) => principalFor(ctx, 'seeViewer'),
  }),
);
