// Partner webhooks end to end: a real receiver on loopback, the real server and its dispatcher. The
// outbox row is written with the change (a rolled-back change sends nothing); deliveries are signed
// per Standard Webhooks (checked with the standardwebhooks verifier and an independent HMAC),
// retried with backoff, dead-lettered and redelivered, in order per referral, once with two
// dispatchers on one database, and finished by a new server after a restart. Partners see only
// their own endpoints and deliveries, and only the referral's source partner is told.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import type { ReferralStatus } from '../src/generated/prisma/enums.js';
import { startServer, type RunningServer } from '../src/server/start.js';
import { WebhookDispatcher, backoffMs } from '../src/webhooks/dispatcher.js';
import { endpointUrlProblem } from '../src/webhooks/target.js';
import { gql, type ResultOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { partner, staff } from './support/tokens.js';

const webhookEnv = {
  WEBHOOK_SECRET_KEY: 'test-webhook-key-for-rx-community-0123456789',
  WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  WEBHOOK_POLL_MS: '25',
  WEBHOOK_BACKOFF_BASE_MS: '40',
  WEBHOOK_BACKOFF_MAX_MS: '160',
  WEBHOOK_MAX_ATTEMPTS: '4',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_LEASE_MS: '10000',
  // The tests poll webhookDeliveries often.
  RATE_LIMIT_SUBJECT: '100000000',
  RATE_LIMIT_PARTNER: '100000000',
};

type Received = { id: string; timestamp: string; signature: string; body: string; status: number; referralId: string; version: number; at: number };

/** An HTTP server on loopback that records every POST and answers what `respond` says. */
class Receiver {
  readonly received: Received[] = [];
  respond: (message: { id: string; referralId: string; attempt: number }) => number = () => 204;
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const id = String(request.headers['webhook-id']);
      const data = (JSON.parse(body) as { data: { referralId: string; version: number } }).data;
      const attempt = this.received.filter((r) => r.id === id).length + 1;
      const status = this.respond({ id, referralId: data.referralId, attempt });
      this.received.push({
        id,
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body,
        status,
        referralId: data.referralId,
        version: data.version,
        at: Date.now(),
      });
      response.writeHead(status).end();
    });
  });
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }
  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  accepted(referralId?: string) {
    return this.received.filter((r) => r.status < 300 && (!referralId || r.referralId === referralId));
  }
  of(referralId: string) {
    return this.received.filter((r) => r.referralId === referralId);
  }
}

async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`${what}: ${last instanceof Error ? last.message : String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const REGISTER = gql('mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id url version } } }');
const ROTATE = gql('mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { secret endpoint { id version } } }');
const DELETE = gql('mutation($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) { id url } }');
const ENDPOINTS = gql('query { webhookEndpoints { edges { node { id url } } } }');
const LOOK_UP = gql('query($id: ID!) { node(id: $id) { id } }');
const DELIVERIES = gql(`
  query ($status: [WebhookDeliveryStatus!]) {
    webhookDeliveries(first: 100, status: $status) { edges { node { id webhookId eventType referralId status attempts lastResponseCode lastError nextAttemptAt deliveredAt endpoint { id } } } }
  }
`);
const REDELIVER = gql(
  `mutation ($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { id webhookId eventType referralId status attempts lastResponseCode lastError nextAttemptAt deliveredAt endpoint { id } } }`,
);
const TRANSITION = gql('mutation($input: TransitionSocialPrescriptionInput!) { transitionSocialPrescription(input: $input) { id status version } }');

type Delivery = NonNullable<ResultOf<typeof REDELIVER>['redeliverWebhook']>;

// In the order written (also under --sequence.shuffle): the steps register endpoints, change partnerships and
// deliver over one database, each as the ones before left it.
describe('partner webhooks', { shuffle: false }, () => {
  let server: TestServer | RunningServer;
  let testServer: TestServer;
  let teamcareHooks: Receiver;
  let romHooks: Receiver;
  let teamcare: Record<string, string>;
  let rom: Record<string, string>;
  let linkWorker: Record<string, string>;
  let teamcareSecret: string;
  let teamcareEndpoint: string;
  let clientId: string;
  const extra: { db?: Database; dispatcher?: WebhookDispatcher } = {};

  /** A referral TeamCare made into norwest, written directly (its submission is not under test here). */
  async function partnerReferral() {
    const referral = await server.db.prisma.socialPrescription.create({
      data: {
        tenantId: 'norwest',
        clientId,
        needs: ['SOCIAL_ISOLATION'],
        supportLevel: 'MEDIUM',
        source: 'PARTNER',
        referringPartnerId: 'teamcare',
        referringSubject: 'teamcare.integration',
        status: 'REQUESTED',
      },
      select: { id: true },
    });
    return { id: referral.id, rx: encodeGlobalID('SocialPrescription', referral.id), partnerId: encodeGlobalID('PartnerReferral', referral.id) };
  }

  async function move(referral: { rx: string }, to: ReferralStatus) {
    const result = await graphql(server, TRANSITION, { input: { id: referral.rx, to } }, linkWorker);
    expect(result.errors).toBeUndefined();
    return result.data!.transitionSocialPrescription;
  }

  async function deliveries(headers: Record<string, string>, status?: ('PENDING' | 'DELIVERED' | 'DEAD')[]): Promise<Delivery[]> {
    const result = await graphql(server, DELIVERIES, { status }, headers);
    expect(result.errors).toBeUndefined();
    return result.data!.webhookDeliveries.edges.map((edge) => edge.node);
  }

  const deliveriesOf = async (referral: { partnerId: string }) => (await deliveries(teamcare)).filter((d) => d.referralId === referral.partnerId);

  beforeAll(async () => {
    [teamcareHooks, romHooks] = await Promise.all([new Receiver().start(), new Receiver().start()]);
    testServer = await startTestServer(webhookEnv);
    server = testServer;
    teamcare = await partner('teamcare', 'referrals:create referrals:read webhooks:manage');
    rom = await partner('rom', 'referrals:read webhooks:manage');
    linkWorker = await staff('norwest', 'LINK_WORKER');
    clientId = (await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'norwest' }, select: { id: true } })).id;
  }, 120_000);

  afterAll(async () => {
    await extra.dispatcher?.stop();
    await extra.db?.close();
    if (server !== testServer) await server?.close();
    await testServer?.stop();
    await teamcareHooks?.close();
    await romHooks?.close();
  });

  describe('registering an endpoint', () => {
    it('needs the webhooks:manage scope and a partnership that grants WEBHOOKS_MANAGE', async () => {
      const input = { input: { url: teamcareHooks.url } };
      expect(codes(await graphql(server, REGISTER, input, await partner('teamcare', 'referrals:create referrals:read')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, REGISTER, input, await staff('norwest', 'SITE_ADMIN')))).toEqual(['FORBIDDEN']);
      // The scope alone is not enough: no partnership grants WEBHOOKS_MANAGE yet.
      expect(codes(await graphql(server, REGISTER, input, teamcare))).toEqual(['FORBIDDEN']);
      expect(await server.db.prisma.webhookEndpoint.count()).toBe(0);

      await server.db.prisma.partnership.updateMany({ where: { partnerId: { in: ['teamcare', 'rom'] } }, data: { scopes: { push: 'WEBHOOKS_MANAGE' } } });
      const registered = await graphql(server, REGISTER, input, teamcare);
      expect(registered.errors).toBeUndefined();
      teamcareSecret = registered.data!.registerWebhookEndpoint.secret;
      teamcareEndpoint = registered.data!.registerWebhookEndpoint.endpoint.id;
      expect(teamcareSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(registered.data!.registerWebhookEndpoint.endpoint.url).toBe(teamcareHooks.url);
      // Never stored: the database holds a nonce the secret is derived from with the server's key.
      const row = await server.db.prisma.webhookEndpoint.findUniqueOrThrow({
        where: { id: Buffer.from(teamcareEndpoint, 'base64').toString().split(':')[1]! },
      });
      expect(JSON.stringify(row)).not.toContain(teamcareSecret.slice(6));

      const romRegistered = await graphql(server, REGISTER, { input: { url: romHooks.url } }, rom);
      expect(romRegistered.errors).toBeUndefined();
    });

    it('refuses anything but HTTPS to a public address (loopback only when the flag says so)', async () => {
      for (const url of [
        'http://example.org/hooks',
        'https://10.0.0.5/hooks',
        'https://169.254.169.254/latest/meta-data',
        'https://[fd00::1]/hooks',
        'https://192.168.1.10/',
        'https://user:pass@example.org/',
        'https://intranet/',
        'ftp://example.org/',
        'not a url',
      ]) {
        const result = await graphql(server, REGISTER, { input: { url } }, teamcare);
        expect(codes(result), url).toEqual(['BAD_USER_INPUT']);
      }
      expect(endpointUrlProblem('https://hooks.example.org/rx', false)).toBeNull();
      expect(endpointUrlProblem('http://127.0.0.1:8080/hooks', false)).not.toBeNull();
      expect(endpointUrlProblem('https://localhost/hooks', false)).not.toBeNull();
      expect(endpointUrlProblem('https://[::1]/hooks', false)).not.toBeNull();
      expect(endpointUrlProblem('https://[::ffff:10.0.0.1]/hooks', false)).not.toBeNull();
      expect(endpointUrlProblem('http://127.0.0.1:8080/hooks', true)).toBeNull();
      expect(endpointUrlProblem('http://10.0.0.1/hooks', true)).not.toBeNull();
    });

    it('shows each partner its own endpoints only', async () => {
      const own = await graphql(server, ENDPOINTS, {}, teamcare);
      expect(own.data!.webhookEndpoints.edges.map((e) => e.node.url)).toEqual([teamcareHooks.url]);
      const romOwn = await graphql(server, ENDPOINTS, {}, rom);
      expect(romOwn.data!.webhookEndpoints.edges.map((e) => e.node.url)).toEqual([romHooks.url]);
      // Another partner's endpoint is invisible by id, and cannot be rotated or deleted.
      const node = await graphql(server, LOOK_UP, { id: teamcareEndpoint }, rom);
      expect(node.data!.node).toBeNull();
      expect(codes(await graphql(server, ROTATE, { input: { id: teamcareEndpoint, expectedVersion: 1 } }, rom))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, DELETE, { input: { id: teamcareEndpoint } }, rom))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, ENDPOINTS, {}, linkWorker))).toEqual(['FORBIDDEN']);
    });

    it('deletes an endpoint of one’s own', async () => {
      const second = await graphql(server, REGISTER, { input: { url: `${romHooks.url}/second` } }, rom);
      const id = second.data!.registerWebhookEndpoint.endpoint.id;
      expect(codes(await graphql(server, DELETE, { input: { id } }, teamcare))).toEqual(['NOT_FOUND']);
      const deleted = await graphql(server, DELETE, { input: { id } }, rom);
      expect(deleted.data!.deleteWebhookEndpoint).toEqual({ id, url: `${romHooks.url}/second` });
      const left = await graphql(server, ENDPOINTS, {}, rom);
      expect(left.data!.webhookEndpoints.edges.map((e) => e.node.url)).toEqual([romHooks.url]);
    });
  });

  describe('delivery', () => {
    it('POSTs a signed id-and-status payload when a referral changes', async () => {
      const referral = await partnerReferral();
      const accepted = await move(referral, 'ACCEPTED');
      const [message] = await eventually(() => {
        const got = teamcareHooks.accepted(referral.partnerId);
        expect(got).toHaveLength(1);
        return got;
      }, 'delivered');
      const body = JSON.parse(message!.body);
      expect(body).toEqual({
        type: 'referral.updated',
        timestamp: expect.any(String),
        data: {
          referralId: referral.partnerId,
          externalReference: null,
          site: 'norwest',
          status: 'ACCEPTED',
          outcome: null,
          statusReason: null,
          version: accepted.version,
        },
      });
      // The Standard Webhooks verifier accepts it, and so does an HMAC computed here by hand.
      const headers = { 'webhook-id': message!.id, 'webhook-timestamp': message!.timestamp, 'webhook-signature': message!.signature };
      expect(new Webhook(teamcareSecret).verify(message!.body, headers)).toEqual(body);
      const key = Buffer.from(teamcareSecret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${message!.id}.${message!.timestamp}.${message!.body}`).digest('base64');
      expect(message!.signature).toBe(`v1,${expected}`);
      expect(Math.abs(Number(message!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      // A forged body does not verify.
      expect(() => new Webhook(teamcareSecret).verify(message!.body.replace('ACCEPTED', 'COMPLETED'), headers)).toThrow();
      // No client details: none of the client's fields appear in what was sent.
      const client = await server.db.prisma.client.findUniqueOrThrow({ where: { id: clientId } });
      for (const value of [client.givenName, client.familyName, client.chartNumber]) expect(message!.body).not.toContain(value);

      const [delivery] = await eventually(async () => {
        const found = await deliveriesOf(referral);
        expect(found[0]?.status).toBe('DELIVERED');
        return found;
      }, 'recorded');
      expect(delivery).toMatchObject({
        webhookId: message!.id,
        eventType: 'referral.updated',
        attempts: 1,
        lastResponseCode: 204,
        lastError: null,
        nextAttemptAt: null,
      });
      expect(delivery!.deliveredAt).not.toBeNull();
      // The disclosure is in the client's access log, as a read through the API would be.
      const audit = await server.db.prisma.auditEvent.findMany({ where: { requestId: Buffer.from(delivery!.id, 'base64').toString().split(':')[1]! } });
      expect(audit).toMatchObject([
        {
          tenantId: 'norwest',
          clientId,
          action: 'READ',
          categories: ['REFERRAL'],
          actorKind: 'PARTNER',
          partnerId: 'teamcare',
          operationName: 'webhook referral.updated',
        },
      ]);
    });

    it('carries the coded status reason and the partner’s own reference, never the free-text reason', async () => {
      const referral = await partnerReferral();
      await server.db.prisma.socialPrescription.update({ where: { id: referral.id }, data: { externalReference: 'TC-2026-0042' } });
      await move(referral, 'ACCEPTED');
      // The site rejects it with a coded reason and a note in words (written directly: the
      // transition's own rules are tested elsewhere); a reason-only change is a change too.
      await server.db.prisma.socialPrescription.update({
        where: { id: referral.id },
        data: {
          status: 'REJECTED',
          outcome: 'NOT_ELIGIBLE',
          statusReasonCode: 'NOT_ELIGIBLE',
          statusReason: 'Lives outside the catchment, at 12 Elm St.',
          version: { increment: 1 },
        },
      });
      await server.db.prisma.socialPrescription.update({ where: { id: referral.id }, data: { statusReasonCode: 'OTHER', version: { increment: 1 } } });
      const got = await eventually(() => {
        const accepted = teamcareHooks.accepted(referral.partnerId);
        expect(accepted).toHaveLength(3);
        return accepted.map((r) => JSON.parse(r.body).data);
      }, 'delivered');
      expect(got.map((d) => [d.status, d.outcome, d.statusReason, d.externalReference])).toEqual([
        ['ACCEPTED', null, null, 'TC-2026-0042'],
        ['REJECTED', 'NOT_ELIGIBLE', 'NOT_ELIGIBLE', 'TC-2026-0042'],
        ['REJECTED', 'NOT_ELIGIBLE', 'OTHER', 'TC-2026-0042'],
      ]);
      for (const r of teamcareHooks.of(referral.partnerId)) expect(r.body).not.toContain('Elm St');
      // Changes that are not status, outcome or reason are not notified.
      await server.db.prisma.socialPrescription.update({ where: { id: referral.id }, data: { notes: 'called twice', version: { increment: 1 } } });
      await settle(300);
      expect(teamcareHooks.of(referral.partnerId)).toHaveLength(3);
    });

    it('follows a referral the partner submitted and cancels itself, with its reference and the coded reason', async () => {
      const submitted = await graphql(
        server,
        gql('mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }'),
        { input: { site: 'norwest', externalReference: 'TC-WH-1', client: { givenName: 'Wren', familyName: 'Hook' }, needs: ['SOCIAL_ISOLATION'] } },
        teamcare,
      );
      expect(submitted.errors).toBeUndefined();
      const partnerId = submitted.data!.submitReferral.id;
      const referral = { rx: encodeGlobalID('SocialPrescription', Buffer.from(partnerId, 'base64').toString().split(':')[1]!), partnerId };
      await move(referral, 'ACCEPTED');
      const cancelled = await graphql(
        server,
        gql('mutation($input: CancelReferralInput!) { cancelReferral(input: $input) { id status } }'),
        { input: { referralId: partnerId, reasonCode: 'CLIENT_DECLINED', reason: 'Wren moved to Sudbury' } },
        teamcare,
      );
      expect(cancelled.errors).toBeUndefined();
      const got = await eventually(() => {
        const accepted = teamcareHooks.accepted(partnerId);
        expect(accepted).toHaveLength(2);
        return accepted.map((r) => JSON.parse(r.body).data);
      }, 'delivered');
      expect(got.map((d) => [d.status, d.statusReason, d.externalReference])).toEqual([
        ['ACCEPTED', null, 'TC-WH-1'],
        ['CANCELLED', 'CLIENT_DECLINED', 'TC-WH-1'],
      ]);
      for (const r of teamcareHooks.of(partnerId)) expect(r.body).not.toMatch(/Wren|Hook|Sudbury/);
    });

    it('retries after the receiver answers 500, with the same webhook-id, and records each attempt', async () => {
      const referral = await partnerReferral();
      teamcareHooks.respond = ({ referralId, attempt }) => (referralId === referral.partnerId && attempt < 3 ? 500 : 204);
      await move(referral, 'ACCEPTED');
      await eventually(() => expect(teamcareHooks.accepted(referral.partnerId)).toHaveLength(1), 'delivered after retries');
      const attempts = teamcareHooks.of(referral.partnerId);
      expect(attempts.map((a) => a.status)).toEqual([500, 500, 204]);
      expect(new Set(attempts.map((a) => a.id)).size).toBe(1);
      // Each attempt is signed afresh, and every signature verifies.
      for (const a of attempts) {
        expect(() =>
          new Webhook(teamcareSecret).verify(a.body, { 'webhook-id': a.id, 'webhook-timestamp': a.timestamp, 'webhook-signature': a.signature }),
        ).not.toThrow();
      }
      // Backed off: the gaps are at least half the configured base delay.
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(20);
      const [delivery] = await eventually(async () => {
        const found = await deliveriesOf(referral);
        expect(found[0]?.status).toBe('DELIVERED');
        return found;
      }, 'recorded');
      expect(delivery).toMatchObject({ attempts: 3, lastResponseCode: 204 });
      teamcareHooks.respond = () => 204;
    });

    it('dead-letters after the configured attempts, and redelivers on request', async () => {
      const referral = await partnerReferral();
      teamcareHooks.respond = ({ referralId }) => (referralId === referral.partnerId ? 503 : 204);
      await move(referral, 'ACCEPTED');
      const [dead] = await eventually(async () => {
        const found = await deliveriesOf(referral);
        expect(found[0]?.status).toBe('DEAD');
        return found;
      }, 'dead-lettered');
      expect(dead).toMatchObject({ attempts: 4, lastResponseCode: 503, lastError: 'answered 503', nextAttemptAt: null, deliveredAt: null });
      expect(teamcareHooks.of(referral.partnerId)).toHaveLength(4);
      expect((await deliveries(teamcare, ['DEAD'])).map((d) => d.id)).toContain(dead!.id);

      // Another partner cannot put it back in the queue.
      expect(codes(await graphql(server, REDELIVER, { input: { id: dead!.id } }, rom))).toEqual(['NOT_FOUND']);
      teamcareHooks.respond = () => 204;
      const again = await graphql(server, REDELIVER, { input: { id: dead!.id } }, teamcare);
      expect(again.errors).toBeUndefined();
      expect(again.data!.redeliverWebhook).toMatchObject({ status: 'PENDING', attempts: 0 });
      await eventually(async () => expect((await deliveriesOf(referral))[0]).toMatchObject({ status: 'DELIVERED', attempts: 1 }), 'redelivered');
      const received = teamcareHooks.of(referral.partnerId);
      expect(received.at(-1)).toMatchObject({ id: dead!.webhookId, status: 204 });
    });

    it('delivers the changes of one referral in order, even when attempts fail', async () => {
      const referral = await partnerReferral();
      // Every message fails its first attempt: a later change must still wait for the earlier one.
      teamcareHooks.respond = ({ referralId, attempt }) => (referralId === referral.partnerId && attempt === 1 ? 500 : 204);
      const moves: ReferralStatus[] = ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'IN_PROGRESS', 'ON_HOLD', 'IN_PROGRESS'];
      const versions: number[] = [];
      for (const to of moves) versions.push((await move(referral, to)).version);
      await eventually(() => expect(teamcareHooks.accepted(referral.partnerId)).toHaveLength(moves.length), 'all delivered');
      // Whatever reached the receiver, failed attempts included, came in version order.
      const seen = teamcareHooks.of(referral.partnerId).map((r) => r.version);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(teamcareHooks.accepted(referral.partnerId).map((r) => r.version)).toEqual(versions);
      expect(teamcareHooks.accepted(referral.partnerId).map((r) => JSON.parse(r.body).data.status)).toEqual(moves);
      teamcareHooks.respond = () => 204;
    });

    it('sends nothing for a change that rolls back', async () => {
      const referral = await partnerReferral();
      // Two mutations in one request: the second fails, so the request's transaction rolls back.
      const rolledBack = await graphql(
        server,
        `
          mutation ($ok: TransitionSocialPrescriptionInput!, $bad: TransitionSocialPrescriptionInput!) {
            ok: transitionSocialPrescription(input: $ok) {
              id
              status
            }
            bad: transitionSocialPrescription(input: $bad) {
              id
              status
            }
          }
        `,
        { ok: { id: referral.rx, to: 'ACCEPTED' }, bad: { id: encodeGlobalID('SocialPrescription', '00000000-0000-0000-0000-000000000000'), to: 'ACCEPTED' } },
        linkWorker,
      );
      expect(codes(rolledBack)).toEqual(['NOT_FOUND']);
      const row = await server.db.prisma.socialPrescription.findUniqueOrThrow({ where: { id: referral.id }, select: { status: true } });
      expect(row.status).toBe('REQUESTED');
      expect(await server.db.prisma.webhookEvent.count({ where: { referralId: referral.id } })).toBe(0);
      await settle(500); // several polls
      expect(teamcareHooks.of(referral.partnerId)).toEqual([]);
      expect(await deliveriesOf(referral)).toEqual([]);

      // Positive control: the same change committed is delivered.
      await move(referral, 'ACCEPTED');
      await eventually(() => expect(teamcareHooks.accepted(referral.partnerId)).toHaveLength(1), 'delivered');
    });

    it('tells only the referral’s source partner, and shows each partner only its own deliveries', async () => {
      const referral = await partnerReferral();
      await move(referral, 'ACCEPTED');
      // Positive control: TeamCare, the source, is told.
      await eventually(() => expect(teamcareHooks.accepted(referral.partnerId)).toHaveLength(1), 'source partner told');
      await settle(300);
      expect(romHooks.received).toEqual([]);
      const [teamcareDelivery] = await eventually(async () => {
        const found = await deliveriesOf(referral);
        expect(found).toHaveLength(1);
        return found;
      }, 'listed');
      expect(await deliveries(rom)).toEqual([]);
      expect((await graphql(server, LOOK_UP, { id: teamcareDelivery!.id }, rom)).data!.node).toBeNull();
      expect((await graphql(server, LOOK_UP, { id: teamcareDelivery!.id }, teamcare)).data!.node).toEqual({ id: teamcareDelivery!.id });
      // Site staff and partners without the scope see no deliveries at all.
      expect(codes(await graphql(server, DELIVERIES, {}, linkWorker))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, DELIVERIES, {}, await partner('teamcare', 'referrals:read')))).toEqual(['FORBIDDEN']);
    });

    it('tells a partner nothing where its partnership does not grant referrals:read', async () => {
      const referral = await partnerReferral();
      await server.db.prisma.partnership.updateMany({
        where: { partnerId: 'teamcare', tenantId: 'norwest' },
        data: { scopes: ['REFERRALS_CREATE', 'PROGRAMS_READ', 'WEBHOOKS_MANAGE'] },
      });
      try {
        await move(referral, 'ACCEPTED');
        await settle(300);
        expect(teamcareHooks.of(referral.partnerId)).toEqual([]);
      } finally {
        await server.db.prisma.partnership.updateMany({
          where: { partnerId: 'teamcare', tenantId: 'norwest' },
          data: { scopes: ['REFERRALS_CREATE', 'REFERRALS_READ', 'PROGRAMS_READ', 'WEBHOOKS_MANAGE'] },
        });
      }
      await move(referral, 'IN_PROGRESS');
      await eventually(
        () => expect(teamcareHooks.accepted(referral.partnerId).map((r) => JSON.parse(r.body).data.status)).toEqual(['IN_PROGRESS']),
        'told again',
      );
    });
  });

  it('with two dispatchers on one database, delivers every change exactly once', async () => {
    // A second dispatcher: on PostgreSQL over a connection pool of its own, as another instance
    // would; the embedded database has one connection, shared.
    const config = testServer.testDb.config;
    extra.db = testServer.testDb.kind === 'postgres' ? await openDatabase(config) : undefined;
    extra.dispatcher = new WebhookDispatcher((extra.db ?? server.db).prisma, config.webhooks, config.webhooks.secretKey!, pino({ level: 'silent' })).start();
    const before = teamcareHooks.received.length;
    const referrals = await Promise.all(Array.from({ length: 8 }, () => partnerReferral()));
    for (const to of ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'] as const) await Promise.all(referrals.map((referral) => move(referral, to)));
    const since = () => teamcareHooks.received.slice(before);
    await eventually(() => expect(since().filter((r) => r.status < 300).length).toBeGreaterThanOrEqual(24), 'all delivered');
    await settle(300);
    const received = since();
    expect(received).toHaveLength(24);
    expect(new Set(received.map((r) => r.id)).size).toBe(24);
    for (const referral of referrals) {
      expect(received.filter((r) => r.referralId === referral.partnerId).map((r) => JSON.parse(r.body).data.status)).toEqual([
        'ACCEPTED',
        'IN_PROGRESS',
        'ON_HOLD',
      ]);
    }
    await extra.dispatcher.stop();
    extra.dispatcher = undefined;
  });

  it('rotating the secret signs the next deliveries with the new one', async () => {
    const rotated = await graphql(server, ROTATE, { input: { id: teamcareEndpoint, expectedVersion: 1 } }, teamcare);
    expect(rotated.errors).toBeUndefined();
    const secret = rotated.data!.rotateWebhookSecret.secret;
    expect(secret).not.toBe(teamcareSecret);
    expect(codes(await graphql(server, ROTATE, { input: { id: teamcareEndpoint, expectedVersion: 1 } }, teamcare))).toEqual(['CONFLICT']);
    const referral = await partnerReferral();
    await move(referral, 'ACCEPTED');
    const [message] = await eventually(() => {
      const got = teamcareHooks.accepted(referral.partnerId);
      expect(got).toHaveLength(1);
      return got;
    }, 'delivered');
    const headers = { 'webhook-id': message!.id, 'webhook-timestamp': message!.timestamp, 'webhook-signature': message!.signature };
    expect(() => new Webhook(secret).verify(message!.body, headers)).not.toThrow();
    expect(() => new Webhook(teamcareSecret).verify(message!.body, headers)).toThrow();
    teamcareSecret = secret;
  });

  it('finishes a delivery after a restart in the middle of its retries', async () => {
    const referral = await partnerReferral();
    let failing = true;
    teamcareHooks.respond = ({ referralId }) => (referralId === referral.partnerId && failing ? 500 : 204);
    await move(referral, 'ACCEPTED');
    await eventually(() => expect(teamcareHooks.of(referral.partnerId).length).toBeGreaterThanOrEqual(1), 'first attempt failed');
    await server.close();
    failing = false;
    const triedBeforeRestart = teamcareHooks.of(referral.partnerId).length;
    expect(teamcareHooks.accepted(referral.partnerId)).toEqual([]);

    server = await startServer(testServer.testDb.config, pino({ level: 'silent' }));
    await eventually(() => expect(teamcareHooks.accepted(referral.partnerId)).toHaveLength(1), 'delivered by the new server');
    const [delivery] = await eventually(async () => {
      const found = await deliveriesOf(referral);
      expect(found[0]?.status).toBe('DELIVERED');
      return found;
    }, 'recorded');
    expect(delivery!.attempts).toBe(triedBeforeRestart + 1);
    // The endpoint and its secret outlive the restart: the new server signs the same way.
    const message = teamcareHooks.accepted(referral.partnerId)[0]!;
    expect(() =>
      new Webhook(teamcareSecret).verify(message.body, {
        'webhook-id': message.id,
        'webhook-timestamp': message.timestamp,
        'webhook-signature': message.signature,
      }),
    ).not.toThrow();
  });

  it('computes backoff as exponential with jitter, capped', () => {
    const config = { backoffBaseMs: 1000, backoffMaxMs: 60_000 };
    expect(backoffMs(1, config, () => 0)).toBe(500);
    expect(backoffMs(1, config, () => 1)).toBe(1000);
    expect(backoffMs(4, config, () => 1)).toBe(8000);
    expect(backoffMs(30, config, () => 1)).toBe(60_000);
    expect(backoffMs(30, config, () => 0)).toBe(30_000);
  });
});
