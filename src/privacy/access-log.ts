// The audit trail, for the site's privacy officer: who viewed or changed a client's health
// information, when, what kind, and through which operation. Nobody else reads it (row-level
// security: privacy_officer_select), and nobody can change it (grants: insert only).
import type { AuditAction, PrincipalKind } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import { notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import type { PermissionMap } from '../graphql/permissions.js';
import { hasSiteRole } from '../auth/rules.js';
import { allow } from 'graphql-shield';

const AuditActionEnum = describedEnum<AuditAction>('AuditAction', 'Whether health information was viewed or changed.', {
  READ: 'Viewed.',
  WRITE: 'Created or changed.',
});

const ActorKindEnum = describedEnum<PrincipalKind>('AuditActorKind', 'What kind of caller acted.', {
  STAFF: 'Site staff.',
  NETWORK: 'Alliance staff.',
  PARTNER: 'A partner organization.',
});

builder.prismaObject('AuditEvent', {
  description: 'One access to a client’s health information. Append-only.',
  fields: (t) => ({
    action: t.expose('action', { type: AuditActionEnum, description: 'Viewed or changed.' }),
    categories: t.exposeStringList('categories', { description: 'Kinds of information touched (IDENTITY, CONTACT, SOCIODEMOGRAPHICS, REFERRAL, NOTES, ASSESSMENTS, UTILIZATION, CONSENT).' }),
    actorSubject: t.exposeString('actorSubject', { description: 'Who (token subject).' }),
    actorKind: t.expose('actorKind', { type: ActorKindEnum, description: 'What kind of caller.' }),
    actorRoles: t.exposeStringList('actorRoles', { description: 'Roles the caller held.' }),
    partnerId: t.exposeString('partnerId', { nullable: true, description: 'The partner organization, for a partner.' }),
    operationName: t.exposeString('operationName', { nullable: true, description: 'The GraphQL operation name, when it had one.' }),
    documentHash: t.exposeString('documentHash', { nullable: true, description: 'SHA-256 of the GraphQL document.' }),
    requestId: t.exposeString('requestId', { description: 'The request id, as in the server log.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When.' }),
  }),
});

builder.queryField('accessLog', (t) =>
  t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 50,
    description: 'Who viewed or changed a client’s health information, newest first (privacy officer of the site).',
    args: {
      clientId: t.arg.id({ required: true, description: 'The client.' }),
      from: t.arg({ type: 'DateTime', required: false, description: 'Only accesses at or after this time.' }),
      to: t.arg({ type: 'DateTime', required: false, description: 'Only accesses before this time.' }),
      actorSubject: t.arg.string({ required: false, description: 'Only this actor.' }),
      operationName: t.arg.string({ required: false, description: 'Only this operation.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const clientId = idOf(String(args.clientId), 'Client', 'clientId');
      if (!(await ctx.db.client.findUnique({ where: { id: clientId }, select: { id: true } }))) throw notFound('Client');
      return ctx.db.auditEvent.findMany({
        ...query,
        where: {
          clientId,
          occurredAt: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lt: args.to } : {}) },
          ...(args.actorSubject ? { actorSubject: args.actorSubject } : {}),
          ...(args.operationName ? { operationName: args.operationName } : {}),
        },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

export const accessLogPermissions: PermissionMap = {
  Query: { accessLog: hasSiteRole('PRIVACY_OFFICER') },
  AuditEvent: hasSiteRole('PRIVACY_OFFICER'),
  QueryAccessLogConnection: allow,
  QueryAccessLogConnectionEdge: allow,
};
