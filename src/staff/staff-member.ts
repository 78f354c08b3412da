import { allow } from 'graphql-shield';
import type { PrescriberKind, StaffRole } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { isSiteStaff } from '../auth/rules.js';
import type { RequestDb } from '../db/request-scope.js';

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
  nullable: true,
  description: 'A member of a site’s staff.',
  id: { field: 'id' },
  fields: (t) => ({
    displayName: t.exposeString('displayName', { description: 'Name shown to colleagues.' }),
    roles: t.expose('roles', { type: [StaffRoleEnum], description: 'Roles held at the site.' }),
    prescriberKind: t.expose('prescriberKind', { type: PrescriberKindEnum, nullable: true, description: 'Profession, for prescribers.' }),
    active: t.exposeBoolean('active', { description: 'Whether the person still works at the site.' }),
  }),
});

builder.queryField('staffMembers', (t) =>
  t.prismaConnection({
    type: 'StaffMember',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 50,
    description: 'Staff of your site, by name.',
    args: { role: t.arg({ type: StaffRoleEnum, required: false, description: 'Only staff holding this role.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.staffMember.findMany({
        ...query,
        where: args.role ? { roles: { has: args.role } } : undefined,
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      }),
  }),
);

/** The caller's own staff record at their site (null when the token's subject has none). */
type CallerStaffRecord = { id: string; roles: StaffRole[] } | null;
const callerRecords = new WeakMap<RequestDb, Promise<CallerStaffRecord>>();

export function findCallerStaffRecord(db: RequestDb, subject: string): Promise<CallerStaffRecord> {
  // Once per request: the request's transaction (db) is new for every request and has one caller.
  let found = callerRecords.get(db);
  if (!found) {
    found = db.staffMember.findFirst({ where: { subject }, select: { id: true, roles: true } });
    callerRecords.set(db, found);
  }
  return found;
}

export const staffPermissions: PermissionMap = {
  Query: { staffMembers: isSiteStaff },
  StaffMember: isSiteStaff,
  QueryStaffMembersConnection: allow,
  QueryStaffMembersConnectionEdge: allow,
};
