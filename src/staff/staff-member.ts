import type { PrescriberKind, StaffRole } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { describedEnum } from '../graphql/described-enum.js';
import { perRequest } from '../graphql/context.js';

export const StaffRoleEnum = describedEnum<StaffRole>('StaffRole', 'A role of site staff.', {
  PRESCRIBER: 'Physician or nurse practitioner who makes social prescriptions.',
  LINK_WORKER: 'Link worker or system navigator who connects clients to supports.',
  PROGRAM_COORDINATOR: 'Health promoter or program coordinator.',
  DATA_COORDINATOR: 'Data coordinator: outcome data and EMR extracts.',
  PRIVACY_OFFICER: 'The site’s privacy officer.',
  SITE_ADMIN: 'Administers the site: staff, partnerships, readiness.',
  HEALTH_CHAMPION: 'A volunteer Health Champion with an account.',
});

export const PrescriberKindEnum = describedEnum<PrescriberKind>('PrescriberKind', 'Profession of a prescriber.', {
  PHYSICIAN: 'Physician.',
  NURSE_PRACTITIONER: 'Nurse practitioner.',
  NURSE: 'Nurse.',
  OTHER: 'Another profession.',
});

export const StaffMemberNode = builder.prismaNode('StaffMember', {
  authz: 'readStaff',
  nullable: true,
  description: 'A member of a site’s staff.',
  id: { field: 'id' },
  fields: (t) => ({
    displayName: t.exposeString('displayName', { description: 'Name shown to colleagues.' }),
    roles: t.expose('roles', { type: [StaffRoleEnum], description: 'Roles held at the site.' }),
    prescriberKind: t.expose('prescriberKind', { type: PrescriberKindEnum, nullable: true, description: 'Profession, for prescribers.' }),
    active: t.exposeBoolean('active', { description: 'Whether the person still works at the site; a deactivated member’s tokens are refused.' }),
    subject: t.exposeString('subject', {
      authz: 'manageStaff',
      description: 'The identity provider’s subject (the token’s `sub`) this record belongs to; for the site administrator.',
    }),
    email: t.exposeString('email', { authz: 'manageStaff', nullable: true, description: 'Work email, from the token or the administrator.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
  }),
});

export const StaffMemberConnection = connectionOf(StaffMemberNode, 'StaffMember');

const staffWhere = (args: { role?: StaffRole | null }) => (args.role ? { roles: { has: args.role } } : undefined);

builder.queryField('staffMembers', (t) =>
  t.prismaConnection(
    {
      authz: 'readStaff',
      type: 'StaffMember',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 50,
      description: 'Staff of your site, by name.',
      args: { role: t.arg({ type: StaffRoleEnum, required: false, description: 'Only staff holding this role.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.staffMember.findMany({
          ...query,
          where: staffWhere(args),
          orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_root, args, ctx) => ctx.db.staffMember.count({ where: staffWhere(args) }),
    },
    StaffMemberConnection,
  ),
);

/** The caller's own staff record at their site, read once per request (null for anyone but site staff, or a subject without one). */
export const findCallerStaffRecord = perRequest(async (ctx): Promise<{ id: string; roles: StaffRole[] } | null> =>
  ctx.principal?.kind === 'STAFF' ? ctx.db.staffMember.findFirst({ where: { subject: ctx.principal.subject }, select: { id: true, roles: true } }) : null,
);
