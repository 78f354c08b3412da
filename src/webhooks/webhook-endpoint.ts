// A partner's webhook endpoints: registered, re-keyed and removed by the partner itself (token scope
// webhooks:manage, and an active partnership granting WEBHOOKS_MANAGE). Row-level security shows a
// partner its own endpoints only. The signing secret is shown once, when it is made.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { builder } from '../graphql/builder.js';
import { connectionOf } from '../graphql/connections.js';
import { principalFor } from '../auth/rules.js';
import { badUserInput, forbidden, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import type { GraphQLContext } from '../graphql/context.js';
import { checkSaved, checkVersion, nextVersion, versionedChange, versionedChangeFields } from '../shared/versions.js';
import { endpointSecret, newSecretNonce } from './signing.js';
import { endpointUrlProblem } from './target.js';

/** Endpoints one partner may keep. */
const maxEndpoints = 10;

export const WebhookEndpointNode = builder.prismaNode('WebhookEndpoint', {
  authz: 'manageWebhooks',
  nullable: true,
  description: 'An HTTPS endpoint of your organization that is told of every change of your referrals (Standard Webhooks).',
  id: { field: 'id' },
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where the notifications are POSTed.' }),
    secretSetAt: t.expose('secretSetAt', { type: 'DateTime', description: 'When the signing secret in use was made (registration or last rotation).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to rotate the secret.' }),
  }),
});

type EndpointWithSecret = { endpointId: string; secret: string };

const WebhookEndpointSecret = builder.objectRef<EndpointWithSecret>('WebhookEndpointSecret').implement({
  authz: 'reached',
  description: 'An endpoint and its signing secret: keep the secret now, it is not shown again.',
  fields: (t) => ({
    endpoint: t.prismaField({
      type: 'WebhookEndpoint',
      description: 'The endpoint.',
      resolve: (query, parent, _args, ctx) => ctx.db.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: parent.endpointId } }),
    }),
    secret: t.exposeString('secret', {
      description: 'The signing secret (`whsec_` and base64), for the Standard Webhooks verifier of your receiver.',
    }),
  }),
});

export const WebhookEndpointConnection = connectionOf(WebhookEndpointNode, 'WebhookEndpoint');

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection(
    {
      authz: 'manageWebhooks',
      type: WebhookEndpointNode,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Your organization’s webhook endpoints, oldest first (partners with webhooks:manage).',
      resolve: (query, _root, _args, ctx) => ctx.db.webhookEndpoint.findMany({ ...query, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      totalCount: (_root, _args, ctx) => ctx.db.webhookEndpoint.count(),
    },
    WebhookEndpointConnection,
  ),
);

/** The key secrets are derived from; FORBIDDEN when the server runs without one (production without WEBHOOK_SECRET_KEY). */
function signingKey(ctx: GraphQLContext) {
  const key = ctx.config.webhooks.secretKey;
  if (!key) throw forbidden('Webhooks are not enabled on this server (WEBHOOK_SECRET_KEY is not set)');
  return key;
}

const RegisterWebhookEndpointInput = builder
  .inputType('RegisterWebhookEndpointInput', {
    description: 'An endpoint of your organization for change notifications.',
    fields: (t) => ({ url: t.string({ required: true, description: 'An https:// URL on a public address.' }) }),
  })
  .validate(z.object({ url: z.string().trim().min(1, 'is required').max(2000) }));

const RotateWebhookSecretInput = builder
  .inputType('RotateWebhookSecretInput', {
    description: 'Which endpoint gets a new signing secret.',
    fields: (t) => versionedChangeFields(t, 'webhook endpoint'),
  })
  .validate(z.object(versionedChange));

const DeleteWebhookEndpointInput = builder
  .inputType('DeleteWebhookEndpointInput', {
    description: 'Which endpoint to remove.',
    fields: (t) => ({ id: t.id({ required: true, description: 'The webhook endpoint.' }) }),
  })
  .validate(z.object({ id: z.string() }));

builder.mutationFields((t) => ({
  registerWebhookEndpoint: t.field({
    authz: 'manageWebhooks',
    type: WebhookEndpointSecret,
    description:
      'Registers an endpoint that is told of every change of your referrals where your partnership grants REFERRALS_READ, and returns its signing secret (once). Needs an active partnership granting WEBHOOKS_MANAGE.',
    args: { input: t.arg({ type: RegisterWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: async (_root, args, ctx) => {
      const key = signingKey(ctx);
      const { partnerId } = principalFor(ctx, 'manageWebhooks');
      const problem = endpointUrlProblem(args.input.url, ctx.config.webhooks.allowHttpLoopback);
      if (problem) throw badUserInput([{ field: 'input.url', message: problem }]);
      const partnership = await ctx.db.partnership.findFirst({
        where: { partnerId, active: true, scopes: { has: 'WEBHOOKS_MANAGE' } },
        select: { id: true },
      });
      if (!partnership) throw forbidden('No active partnership grants your organization WEBHOOKS_MANAGE');
      if ((await ctx.db.webhookEndpoint.count()) >= maxEndpoints) {
        throw badUserInput([{ field: 'input.url', message: `your organization already has ${maxEndpoints} endpoints: delete one first` }]);
      }
      const endpoint = { id: randomUUID(), partnerId, url: new URL(args.input.url).toString(), secretNonce: newSecretNonce() };
      await ctx.db.webhookEndpoint.create({ data: endpoint, select: { id: true } });
      return { endpointId: endpoint.id, secret: endpointSecret(key, endpoint) };
    },
  }),
  rotateWebhookSecret: t.field({
    authz: 'manageWebhooks',
    type: WebhookEndpointSecret,
    description: 'Gives one of your endpoints a new signing secret and returns it (once); the old one stops signing at once.',
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true, description: 'The endpoint.' }) },
    resolve: async (_root, args, ctx) => {
      const key = signingKey(ctx);
      const id = idOf(args.input.id, 'WebhookEndpoint', 'input.id');
      const current = await ctx.db.webhookEndpoint.findUnique({ where: { id }, select: { version: true } });
      if (!current) throw notFound('Webhook endpoint');
      checkVersion('webhook endpoint', current, args.input.expectedVersion);
      const secretNonce = newSecretNonce();
      checkSaved(
        'webhook endpoint',
        await ctx.db.webhookEndpoint.updateMany({
          where: { id, version: args.input.expectedVersion },
          data: nextVersion({ secretNonce, secretSetAt: new Date() }),
        }),
      );
      return { endpointId: id, secret: endpointSecret(key, { id, secretNonce }) };
    },
  }),
  deleteWebhookEndpoint: t.prismaField({
    authz: 'manageWebhooks',
    type: 'WebhookEndpoint',
    description: 'Removes one of your endpoints, with its deliveries, sent and pending; returns it as it was.',
    args: { input: t.arg({ type: DeleteWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idOf(args.input.id, 'WebhookEndpoint', 'input.id');
      const endpoint = await ctx.db.webhookEndpoint.findUnique({ ...query, where: { id } });
      if (!endpoint) throw notFound('Webhook endpoint');
      await ctx.db.webhookEndpoint.deleteMany({ where: { id } });
      return endpoint;
    },
  }),
}));
