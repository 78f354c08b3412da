import { allow, or } from 'graphql-shield';
import type { CostLevel, ProgramRunner } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { NeedEnum } from '../prescriptions/enums.js';
import { hasPartnerScope, isAuthenticated, isNotPartner } from '../auth/rules.js';

export const ProgramRunnerEnum = describedEnum<ProgramRunner>('ProgramRunner', 'Who runs a program.', {
  SITE: 'The site’s own staff.',
  PARTNER: 'A partner organization.',
  HEALTH_CHAMPION: 'A volunteer Health Champion.',
});

export const CostLevelEnum = describedEnum<CostLevel>('CostLevel', 'What taking part costs the client.', {
  FREE: 'Free.',
  LOW_COST: 'Low cost.',
  SLIDING_SCALE: 'Sliding scale by income.',
  PAID: 'Paid.',
});

export const ProgramNode = builder.prismaNode('Program', {
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
    needs: t.expose('needs', { type: [NeedEnum], description: 'Needs it addresses.' }),
    schedule: t.exposeString('schedule', { nullable: true, description: 'When it meets, in words.' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'How many people it can take.' }),
    languages: t.exposeStringList('languages', { description: 'Languages it runs in (ISO 639 codes).' }),
    cost: t.expose('cost', { type: CostLevelEnum, description: 'What it costs the client.' }),
    location: t.exposeString('location', { nullable: true, description: 'Where it takes place.' }),
    active: t.exposeBoolean('active', { description: 'Whether it currently runs.' }),
  }),
});

builder.queryField('programs', (t) =>
  t.prismaConnection({
    type: 'Program',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description:
      'Programs you can prescribe or read: your site’s and the network’s (staff), or those of your partnered sites and the network (partners with programs:read).',
    args: {
      need: t.arg({ type: NeedEnum, required: false, description: 'Only programs addressing this need.' }),
      activeOnly: t.arg.boolean({ required: false, defaultValue: true, description: 'Leave out programs that no longer run.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.program.findMany({
        ...query,
        where: { ...(args.need ? { needs: { has: args.need } } : {}), ...(args.activeOnly ? { active: true } : {}) },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

export const programPermissions: PermissionMap = {
  Query: { programs: or(isNotPartner, hasPartnerScope('programs:read')) },
  // Which programs a caller sees is row-level security's call: own site, network, partnered sites.
  Program: isAuthenticated,
  QueryProgramsConnection: allow,
  QueryProgramsConnectionEdge: allow,
};
