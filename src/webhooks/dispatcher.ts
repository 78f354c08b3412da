// Delivers the outbox (WebhookDelivery rows the trigger writes with each change): at least once, in
// order per referral and endpoint, with exponential backoff and jitter, dead-lettered after
// WEBHOOK_MAX_ATTEMPTS. Any number of dispatchers may share one database: each claims a batch with
// FOR UPDATE SKIP LOCKED and holds it under a lease, so no two send the same delivery at once; one
// that dies mid-delivery leaves the lease to expire and another retries. A delivery waits while an
// earlier one for the same referral and endpoint is still pending, so a batch never holds two of
// them. It runs on the owner connection (not under a partner's row-level security), never inside
// a transaction while it waits for a partner's server.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Logger } from 'pino';
import type { WebhookConfig } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { endpointSecret, signedHeaders } from './signing.js';
import { addressProblem, guardedLookup } from './target.js';

const utcNow = `(now() AT TIME ZONE 'UTC')`;
const batchSize = 20;

type Claimed = {
  id: string;
  attempts: number;
  eventId: string;
  type: string;
  tenantId: string;
  referralId: string;
  status: string;
  outcome: string | null;
  statusReason: string | null;
  externalReference: string | null;
  version: number;
  occurredAt: Date;
  endpointId: string;
  url: string;
  secretNonce: string;
};

/** The body of one event: ids and status only, never client details. The same bytes on every attempt. */
export function eventBody(
  event: Pick<Claimed, 'type' | 'occurredAt' | 'referralId' | 'externalReference' | 'tenantId' | 'status' | 'outcome' | 'statusReason' | 'version'>,
) {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: {
      referralId: encodeGlobalID('PartnerReferral', event.referralId),
      externalReference: event.externalReference,
      site: event.tenantId,
      status: event.status,
      outcome: event.outcome,
      statusReason: event.statusReason,
      version: event.version,
    },
  });
}

/** Wait before attempt n + 1 after n failed: a random time between half and all of min(base × 2^(n−1), max). */
export function backoffMs(failedAttempts: number, config: Pick<WebhookConfig, 'backoffBaseMs' | 'backoffMaxMs'>, random = Math.random) {
  const ceiling = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.min(failedAttempts - 1, 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

type Outcome = { code: number | null; error: string | null };

/** One POST; a 2xx answer is success. No redirects are followed; the answer's body is discarded. */
function post(url: URL, body: string, headers: Record<string, string>, config: WebhookConfig): Promise<Outcome> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literalProblem = isIP(host) ? addressProblem(host, config.allowHttpLoopback) : null;
  if (literalProblem) return Promise.resolve({ code: null, error: `refused: ${literalProblem}` });
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'rx-community-webhooks/1', ...headers },
        lookup: guardedLookup(config.allowHttpLoopback),
        signal: AbortSignal.timeout(config.timeoutMs),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ code: response.statusCode ?? null, error: null }));
        response.on('error', () => resolve({ code: response.statusCode ?? null, error: null }));
      },
    );
    request.on('error', (error) => resolve({ code: null, error: error.name === 'AbortError' ? `no answer within ${config.timeoutMs} ms` : error.message }));
    request.end(body);
  });
}

export class WebhookDispatcher {
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: WebhookConfig,
    private readonly key: string,
    private readonly log: Logger,
  ) {}

  start() {
    this.running ??= this.loop();
    return this;
  }

  /** Stops claiming, lets the deliveries in flight finish (each within WEBHOOK_TIMEOUT_MS). */
  async stop() {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop() {
    while (!this.stopping) {
      let sent = 0;
      try {
        sent = await this.runOnce();
      } catch (error) {
        this.log.error({ err: error }, 'webhook dispatcher: claiming or recording failed; trying again');
      }
      if (sent < batchSize && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Claims what is due and delivers it; returns how many it attempted. */
  async runOnce(): Promise<number> {
    const token = randomUUID();
    const claimed = await this.prisma.$queryRawUnsafe<Claimed[]>(
      `UPDATE "WebhookDelivery" d
          SET "leasedUntil" = ${utcNow} + $2 * interval '1 millisecond', "leaseToken" = $1
         FROM "WebhookEvent" ev, "WebhookEndpoint" e
        WHERE ev.id = d."eventId" AND e.id = d."endpointId"
          AND d.id IN (
            SELECT c.id FROM "WebhookDelivery" c
             WHERE c.status = 'PENDING' AND c."nextAttemptAt" <= ${utcNow}
               AND (c."leasedUntil" IS NULL OR c."leasedUntil" < ${utcNow})
               AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" earlier
                                WHERE earlier."endpointId" = c."endpointId" AND earlier."referralId" = c."referralId"
                                  AND earlier.sequence < c.sequence AND earlier.status = 'PENDING')
             ORDER BY c.sequence
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.attempts, d."eventId", ev.type, ev."tenantId", ev."referralId", ev.status::text AS status,
                  ev.outcome::text AS outcome, ev."statusReason", ev."externalReference", ev.version, ev."occurredAt", e.id AS "endpointId", e.url, e."secretNonce"`,
      token,
      this.config.leaseMs,
      batchSize,
    );
    await Promise.all(claimed.map((delivery) => this.deliver(delivery, token)));
    return claimed.length;
  }

  private async deliver(delivery: Claimed, token: string) {
    const body = eventBody(delivery);
    const secret = endpointSecret(this.key, { id: delivery.endpointId, secretNonce: delivery.secretNonce });
    const { code, error } = await post(new URL(delivery.url), body, signedHeaders(secret, delivery.eventId, body), this.config);
    const attempts = delivery.attempts + 1;
    if (code !== null && code >= 200 && code < 300) {
      // The referral's status reached the partner: an audit row for the client's record, as a read
      // through the API would leave (the privacy officer's access log), in the same statement.
      await this.prisma.$executeRawUnsafe(
        `WITH delivered AS (
           UPDATE "WebhookDelivery"
              SET status = 'DELIVERED', attempts = $3, "lastAttemptAt" = ${utcNow}, "lastResponseCode" = $4, "lastError" = NULL,
                  "deliveredAt" = ${utcNow}, "nextAttemptAt" = NULL, "leasedUntil" = NULL, "leaseToken" = NULL
            WHERE id = $1 AND "leaseToken" = $2
           RETURNING id, "endpointId", "partnerId", "referralId")
         INSERT INTO "AuditEvent" (id, "tenantId", "clientId", action, categories, "actorSubject", "actorKind", "actorRoles", "partnerId", "operationName", "requestId", "occurredAt")
         SELECT gen_random_uuid()::text, sp."tenantId", sp."clientId", 'READ', ARRAY['REFERRAL'], 'webhook:' || d."endpointId", 'PARTNER', ARRAY[]::text[],
                d."partnerId", 'webhook referral.updated', d.id, ${utcNow}
           FROM delivered d JOIN "SocialPrescription" sp ON sp.id = d."referralId"`,
        delivery.id,
        token,
        attempts,
        code,
      );
      return;
    }
    const dead = attempts >= this.config.maxAttempts;
    const problem = error ?? `answered ${code}`;
    this.log.info({ delivery: delivery.id, endpoint: delivery.endpointId, attempts, code, dead }, 'webhook delivery failed');
    await this.prisma.$executeRawUnsafe(
      `UPDATE "WebhookDelivery"
          SET status = $5::"WebhookDeliveryStatus", attempts = $3, "lastAttemptAt" = ${utcNow}, "lastResponseCode" = $4, "lastError" = $6,
              "nextAttemptAt" = CASE WHEN $7::int IS NULL THEN NULL ELSE ${utcNow} + $7::int * interval '1 millisecond' END,
              "leasedUntil" = NULL, "leaseToken" = NULL
        WHERE id = $1 AND "leaseToken" = $2`,
      delivery.id,
      token,
      attempts,
      code,
      dead ? 'DEAD' : 'PENDING',
      problem.slice(0, 500),
      dead ? null : backoffMs(attempts, this.config),
    );
  }
}
