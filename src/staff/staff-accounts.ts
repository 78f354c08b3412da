// Staff accounts, kept by the site's administrator. A record ties a person to the identity
// provider's subject (the token's `sub`): made ahead of their first sign-in here, or just in time
// by that sign-in (db/principal-settings.ts) unless the site requires provisioning. A deactivated
// member's tokens are refused from their next request on.
import { z } from 'zod';
import { PrescriberKind, StaffRole } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import type { GraphQLContext } from '../graphql/context.js';
import { principalFor } from '../auth/rules.js';
import { badUserInput, conflict, invalidTransition, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules } from '../graphql/validation.js';
import { isUniqueViolation } from '../db/errors.js';
import { emailAddress, requiredText } from '../shared/fields.js';
import { checkSaved, checkVersion, nextVersion, changeRules, versionedChangeFields } from '../shared/versions.js';
import { PrescriberKindEnum, StaffRoleEnum } from './staff-member.js';

const staffFields = {
  displayName: requiredText(100),
  roles: z.array(z.enum(StaffRole)).min(1, 'must name at least one role').max(7),
  prescriberKind: z.enum(PrescriberKind).nullish(),
  email: emailAddress.max(254).nullish(),
};

type Profession = { roles?: StaffRole[] | null; prescriberKind?: PrescriberKind | null };
/** A profession is a prescriber's: given for anyone else, it is a mistake. */
const professionProblem = ({ roles, prescriberKind }: Profession, field = 'prescriberKind') =>
  prescriberKind && roles && !roles.includes('PRESCRIBER') ? [{ field, message: 'is only for a staff member holding the PRESCRIBER role' }] : [];

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;
const staffInputFields = (t: InputFields, required: boolean) => ({
  displayName: t.string({ required, description: 'Name shown to colleagues.' }),
  roles: t.field({ type: [StaffRoleEnum], required, description: 'Roles held at the site (their tokens carry the roles they act in).' }),
  prescriberKind: t.field({ type: PrescriberKindEnum, description: `Profession, for prescribers${required ? '' : '; null clears it'}.` }),
  email: t.string({ description: `Work email${required ? '' : '; null clears it'}.` }),
});

const CreateStaffMemberInput = builder
  .inputType('CreateStaffMemberInput', {
    description: 'A staff member of your site, before their first sign-in.',
    fields: (t) => ({
      subject: t.string({ required: true, description: 'The identity provider’s subject for this person: the `sub` of their tokens.' }),
      ...staffInputFields(t, true),
    }),
  })
  .validate(
    inputRules({ subject: requiredText(200), ...staffFields }, (input: Profession, issues) => {
      for (const { field, message } of professionProblem(input)) issues.addIssue({ code: 'custom', path: [field], message });
    }),
  );

const UpdateStaffMemberInput = builder
  .inputType('UpdateStaffMemberInput', {
    description: 'Changes to a staff member of your site; fields left out stay as they are.',
    fields: (t) => ({ ...versionedChangeFields(t, 'staff member'), ...staffInputFields(t, false) }),
  })
  .validate(inputRules(changeRules(staffFields)));

/** A staff member of the caller's site (row-level security shows no other), or NOT_FOUND. */
async function staffMemberOf(ctx: GraphQLContext, globalId: string, field: string) {
  const staff = await ctx.db.staffMember.findUnique({ where: { id: idOf(globalId, 'StaffMember', field) } });
  if (!staff) throw notFound('Staff member');
  return staff;
}

builder.mutationFields((t) => ({
  createStaffMember: t.prismaField({
    authz: 'manageStaff',
    type: 'StaffMember',
    description: 'Adds a staff member to your site ahead of their first sign-in (site administrators); required where the site requires provisioning.',
    args: { input: t.arg({ type: CreateStaffMemberInput, required: true, description: 'The staff member.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { tenantId } = principalFor(ctx, 'manageStaff');
      const { roles, ...input } = args.input;
      const taken = await ctx.db.staffMember.findUnique({ where: { tenantId_subject: { tenantId, subject: input.subject } }, select: { id: true } });
      if (taken) throw conflict('Your site already has a staff record for this subject: update it instead');
      try {
        return await ctx.db.staffMember.create({ ...query, data: { ...input, roles: [...new Set(roles)], tenantId } });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('Your site already has a staff record for this subject: update it instead');
        throw error;
      }
    },
  }),
  updateStaffMember: t.prismaField({
    authz: 'manageStaff',
    type: 'StaffMember',
    description: 'Changes the name, roles, profession or email of a staff member of your site (site administrators).',
    args: { input: t.arg({ type: UpdateStaffMemberInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, roles, ...input } = args.input;
      const staff = await staffMemberOf(ctx, id, 'input.id');
      checkVersion('staff member', staff, expectedVersion);
      const problems = professionProblem(
        { roles: roles ?? staff.roles, prescriberKind: input.prescriberKind === undefined ? staff.prescriberKind : input.prescriberKind },
        'input.prescriberKind',
      );
      if (problems.length) throw badUserInput(problems);
      const changes = { ...input, ...(roles ? { roles: [...new Set(roles)] } : {}) };
      checkSaved('staff member', await ctx.db.staffMember.updateMany({ where: { id: staff.id, version: expectedVersion }, data: nextVersion(changes) }));
      return ctx.db.staffMember.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
  deactivateStaffMember: t.prismaField({
    authz: 'manageStaff',
    type: 'StaffMember',
    description:
      'Marks a staff member of your site as no longer working there: their tokens are refused (UNAUTHENTICATED) from their next request on; their record and history stay.',
    args: { id: t.arg.id({ required: true, description: 'The staff member.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { subject } = principalFor(ctx, 'manageStaff');
      const staff = await staffMemberOf(ctx, String(args.id), 'id');
      if (staff.subject === subject) throw badUserInput([{ field: 'id', message: 'is your own record: another administrator deactivates it' }]);
      if (!staff.active) throw invalidTransition('This staff member is already deactivated');
      return ctx.db.staffMember.update({ ...query, where: { id: staff.id }, data: nextVersion({ active: false }) });
    },
  }),
  reactivateStaffMember: t.prismaField({
    authz: 'manageStaff',
    type: 'StaffMember',
    description: 'Lets a deactivated staff member of your site sign in again.',
    args: { id: t.arg.id({ required: true, description: 'The staff member.' }) },
    resolve: async (query, _root, args, ctx) => {
      const staff = await staffMemberOf(ctx, String(args.id), 'id');
      if (staff.active) throw invalidTransition('This staff member is active');
      return ctx.db.staffMember.update({ ...query, where: { id: staff.id }, data: nextVersion({ active: true }) });
    },
  }),
}));
