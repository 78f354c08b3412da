// What a partner sees of the notifications sent to its endpoints: which event, to which endpoint,
// how far delivery got (attempts, last answer, next attempt, dead-lettered), and a way to send one
// again. Row-level security shows a partner its own deliveries only.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { describedEnum } from '../graphql/described-enum.js';
import { notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import type { WebhookDeliveryStatus } from '../generated/prisma/enums.js';
import { WebhookEndpointNode } from './webhook-endpoint.js';

const WebhookDeliveryStatusEnum = describedEnum<WebhookDeliveryStatus>('WebhookDeliveryStatus', 'How far one notification got.', {
  PENDING: 'Not yet answered with 2xx: waiting for its first attempt, or for the next one (see nextAttemptAt).',
  DELIVERED: 'Your endpoint answered 2xx.',
  DEAD: 'Given up after the configured number of attempts (dead-lettered); redeliverWebhook sends it again.',
});

export const WebhookDeliveryNode = builder.prismaNode('WebhookDelivery', {
  authz: 'manageWebhooks',
  nullable: true,
  description: 'One notification to one of your endpoints, and how its delivery went.',
  id: { field: 'id' },
  fields: (t) => ({
    webhookId: t.exposeString('eventId', { description: 'The `webhook-id` header it is sent with: the same on every attempt, for deduplication.' }),
    eventType: t.string({
      description: 'What happened (referral.updated).',
      select: { event: { select: { type: true } } },
      resolve: (delivery) => delivery.event.type,
    }),
    referralId: t.id({
      description: 'The referral it is about (a PartnerReferral id).',
      resolve: (delivery) => encodeGlobalID('PartnerReferral', delivery.referralId),
    }),
    endpoint: t.relation('endpoint', { type: WebhookEndpointNode, description: 'Where it goes.' }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum, description: 'Delivered, still trying, or dead-lettered.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made so far (since the last redelivery).' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true, description: 'When it was last tried.' }),
    lastResponseCode: t.exposeInt('lastResponseCode', { nullable: true, description: 'Your endpoint’s HTTP status at the last attempt; null when none came.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed (status, timeout, refused address).' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When it is tried next, while PENDING.' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, description: 'When your endpoint accepted it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the change happened and the notification was queued.' }),
  }),
});

export const WebhookDeliveryConnection = connectionOf(WebhookDeliveryNode, 'WebhookDelivery');

const deliveriesWhere = (args: { status?: readonly WebhookDeliveryStatus[] | null; endpointId?: string | null }) => ({
  ...(args.status?.length ? { status: { in: [...args.status] } } : {}),
  ...(args.endpointId ? { endpointId: idOf(args.endpointId, 'WebhookEndpoint', 'endpointId') } : {}),
});

builder.queryField('webhookDeliveries', (t) =>
  t.prismaConnection(
    {
      authz: 'manageWebhooks',
      type: WebhookDeliveryNode,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Notifications to your organization’s endpoints, newest first (partners with webhooks:manage).',
      args: {
        status: t.arg({ type: [WebhookDeliveryStatusEnum], required: false, description: 'Only these statuses.' }),
        endpointId: t.arg.id({ required: false, description: 'Only to this endpoint.' }),
      },
      resolve: (query, _root, args, ctx) =>
        ctx.db.webhookDelivery.findMany({ ...query, where: deliveriesWhere(args), orderBy: [{ sequence: 'desc' }, { id: 'desc' }] }),
      totalCount: (_root, args, ctx) => ctx.db.webhookDelivery.count({ where: deliveriesWhere(args) }),
    },
    WebhookDeliveryConnection,
  ),
);

const RedeliverWebhookInput = builder
  .inputType('RedeliverWebhookInput', {
    description: 'Which notification to send again.',
    fields: (t) => ({ id: t.id({ required: true, description: 'The webhook delivery.' }) }),
  })
  .validate(z.object({ id: z.string() }));

builder.mutationField('redeliverWebhook', (t) =>
  t.prismaField({
    authz: 'manageWebhooks',
    type: 'WebhookDelivery',
    description:
      'Sends a notification again, as soon as the dispatcher comes to it, with the same webhook-id: a delivered or dead-lettered one starts a new round of attempts; a pending one is tried now.',
    args: { input: t.arg({ type: RedeliverWebhookInput, required: true, description: 'The delivery.' }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idOf(args.input.id, 'WebhookDelivery', 'input.id');
      const delivery = await ctx.db.webhookDelivery.findUnique({ where: { id }, select: { status: true } });
      if (!delivery) throw notFound('Webhook delivery');
      await ctx.db.webhookDelivery.updateMany({
        where: { id },
        data: { status: 'PENDING', nextAttemptAt: new Date(), ...(delivery.status === 'PENDING' ? {} : { attempts: 0 }) },
      });
      return ctx.db.webhookDelivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
