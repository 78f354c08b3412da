// The audit trail, for the site's privacy officer: who viewed or changed a client's health
// information, when, what kind, and through which operation; by client, or everything one staff
// member opened. Nobody else reads it (row-level security: privacy_officer_select), nobody can
// change it (grants: insert only), and reading it is itself audited (ACCESS_LOG, per client shown).
import type { AuditAction, PrincipalKind } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { describedEnum } from '../graphql/described-enum.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { notFound } from '../graphql/errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { idOf } from '../graphql/ids.js';

const AuditActionEnum = describedEnum<AuditAction>('AuditAction', 'Whether health information was viewed or changed.', {
  READ: 'Viewed.',
  WRITE: 'Created or changed.',
});

const ActorKindEnum = describedEnum<PrincipalKind>('AuditActorKind', 'What kind of caller acted.', {
  STAFF: 'Site staff.',
  NETWORK: 'Alliance staff.',
  PARTNER: 'A partner organization.',
});

const AuditEventRef = builder.prismaObject('AuditEvent', {
  authz: 'readAccessLog',
  description: 'One access to a client’s health information. Append-only.',
  fields: (t) => ({
    action: t.expose('action', { type: AuditActionEnum, description: 'Viewed or changed.' }),
    categories: t.exposeStringList('categories', {
      description: 'Kinds of information touched (IDENTITY, CONTACT, SOCIODEMOGRAPHICS, REFERRAL, NOTES, ASSESSMENTS, UTILIZATION, CONSENT).',
    }),
    actorSubject: t.exposeString('actorSubject', { description: 'Who (token subject).' }),
    actorKind: t.expose('actorKind', { type: ActorKindEnum, description: 'What kind of caller.' }),
    actorRoles: t.exposeStringList('actorRoles', { description: 'Roles the caller held.' }),
    partnerId: t.exposeString('partnerId', { nullable: true, description: 'The partner organization, for a partner.' }),
    operationName: t.exposeString('operationName', { nullable: true, description: 'The GraphQL operation name, when it had one.' }),
    documentHash: t.exposeString('documentHash', { nullable: true, description: 'SHA-256 of the GraphQL document.' }),
    clientId: t.id({
      nullable: true,
      description: 'Whose record (a Client id).',
      resolve: (e) => (e.clientId ? encodeGlobalID('Client', e.clientId) : null),
    }),
    requestId: t.exposeString('requestId', {
      description: 'The request id the server gave the request, as in the server log and the x-request-id response header.',
    }),
    correlationId: t.exposeString('correlationId', { nullable: true, description: 'The caller’s own x-request-id, when it sent one; the caller chose it.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When.' }),
  }),
});

const AuditEventConnection = connectionOf(AuditEventRef, 'AuditEvent');

type AccessLogFilter = {
  clientId?: string | number | null;
  from?: Date | null;
  to?: Date | null;
  actorSubject?: string | null;
  action?: AuditAction | null;
  operationName?: string | null;
};

/** The filter of a page of the access log, and the client it is of (NOT_FOUND for one the caller cannot see). */
async function accessLogWhere(args: AccessLogFilter, ctx: GraphQLContext) {
  const clientId = args.clientId ? idOf(String(args.clientId), 'Client', 'clientId') : undefined;
  const client = clientId ? await ctx.db.client.findUnique({ where: { id: clientId }, select: { tenantId: true, id: true } }) : undefined;
  if (client === null) throw notFound('Client');
  const where: Prisma.AuditEventWhereInput = {
    ...(clientId ? { clientId } : {}),
    occurredAt: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lt: args.to } : {}) },
    ...(args.actorSubject ? { actorSubject: args.actorSubject } : {}),
    ...(args.operationName ? { operationName: args.operationName } : {}),
    ...(args.action ? { action: args.action } : {}),
  };
  return { client, where };
}

builder.queryField('accessLog', (t) =>
  t.prismaConnection(
    {
      authz: 'readAccessLog',
      type: 'AuditEvent',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 50,
      description:
        'Who viewed or changed clients’ health information, newest first (privacy officer of the site): of one client, or what one staff member opened, or both.',
      args: {
        clientId: t.arg.id({ required: false, description: 'Only this client’s record.' }),
        from: t.arg({ type: 'DateTime', required: false, description: 'Only accesses at or after this time.' }),
        to: t.arg({ type: 'DateTime', required: false, description: 'Only accesses before this time.' }),
        actorSubject: t.arg.string({ required: false, description: 'Only this actor (token subject, for example a staff member’s).' }),
        action: t.arg({ type: AuditActionEnum, required: false, description: 'Only views, or only changes.' }),
        operationName: t.arg.string({ required: false, description: 'Only this operation.' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { client, where } = await accessLogWhere(args, ctx);
        const events = await ctx.db.auditEvent.findMany({ ...query, where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] });
        if (client) ctx.privacy.record('READ', { tenantId: client.tenantId, clientId: client.id }, 'ACCESS_LOG');
        for (const event of events) {
          if (event.clientId) ctx.privacy.record('READ', { tenantId: event.tenantId, clientId: event.clientId }, 'ACCESS_LOG');
        }
        return events;
      },
      totalCount: async (_root, args, ctx) => {
        const { client, where } = await accessLogWhere(args, ctx);
        if (client) ctx.privacy.record('READ', { tenantId: client.tenantId, clientId: client.id }, 'ACCESS_LOG');
        return ctx.db.auditEvent.count({ where });
      },
    },
    AuditEventConnection,
  ),
);
