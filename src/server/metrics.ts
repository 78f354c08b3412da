// Prometheus metrics (prom-client). One registry per process; GET /metrics serves it on its own
// port (METRICS_PORT) and/or on the main port behind a bearer token (METRICS_TOKEN), never openly.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import { Kind } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { PostgresAdapterFactory } from '../db/postgres-adapter.js';

export const registry = new Registry();

const requests = new Counter({
  name: 'rx_graphql_requests_total',
  help: 'GraphQL requests answered, by operation name and outcome code (OK or the first error code).',
  labelNames: ['operation', 'code'] as const,
  registers: [registry],
});
const duration = new Histogram({
  name: 'rx_graphql_request_duration_seconds',
  help: 'Time from the start of a GraphQL request to its response, by operation name and outcome code.',
  labelNames: ['operation', 'code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const inFlight = new Gauge({
  name: 'rx_graphql_requests_in_flight',
  help: 'GraphQL requests being worked on (on the embedded database: mostly waiting for its one connection).',
  registers: [registry],
});
const rejected = new Counter({
  name: 'rx_requests_rejected_total',
  help: 'Requests refused before execution by a limit, by which limit.',
  labelNames: ['reason'] as const,
  registers: [registry],
});
const rateLimited = new Counter({
  name: 'rx_requests_rate_limited_total',
  help: 'Requests refused with 429 by the rate limits.',
  registers: [registry],
});
const httpResponses = new Counter({
  name: 'rx_http_responses_total',
  help: 'HTTP responses by route and status code.',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

let watchedDatabase: Database | undefined;
const poolGauge = (name: string, help: string, read: (pool: NonNullable<PostgresAdapterFactory['pool']>) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const pool = watchedDatabase?.kind === 'postgres' ? (watchedDatabase.adapterFactory as PostgresAdapterFactory).pool : undefined;
      if (pool) this.set(read(pool));
    },
  });
poolGauge('rx_db_pool_connections', 'Connections open in the pool to the PostgreSQL server.', (pool) => pool.totalCount);
poolGauge('rx_db_pool_idle_connections', 'Open pool connections not in use.', (pool) => pool.idleCount);
poolGauge('rx_db_pool_waiting_requests', 'Callers waiting for a pool connection.', (pool) => pool.waitingCount);

let defaultMetrics = false;

/** What the rest of the server counts. */
export const metrics = {
  /** A request refused before execution by a limit (depth, aliases, cost, body size, …). */
  rejected(reason: string) {
    rejected.inc({ reason });
  },
  /** A request refused by a rate limit. */
  rateLimited() {
    rateLimited.inc();
  },
};

// Operation names are the caller's choice: a bounded set keeps the series (and memory) bounded.
const knownOperations = new Set<string>();
function operationLabel(name: string | null | undefined) {
  if (!name) return 'anonymous';
  if (knownOperations.has(name)) return name;
  if (knownOperations.size >= 200 || !/^[A-Za-z_]\w{0,63}$/.test(name)) return 'other';
  knownOperations.add(name);
  return name;
}

/** Counts and times every GraphQL request by operation name and outcome code. */
export function metricsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      inFlight.inc();
      return {
        async willSendResponse({ request, operationName, document, response }) {
          inFlight.dec();
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const first = errors?.[0]?.extensions?.code;
          const code = errors?.length ? (typeof first === 'string' ? first : 'INTERNAL_SERVER_ERROR') : 'OK';
          // A document that failed validation has no resolved operation: its first operation's name.
          const named = operationName ?? request.operationName ?? document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.name?.value;
          const labels = { operation: operationLabel(named), code };
          requests.inc(labels);
          duration.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

function bearerMatches(header: string | undefined, token: string) {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function enable(db: Database) {
  watchedDatabase = db;
  if (defaultMetrics) return;
  defaultMetrics = true;
  collectDefaultMetrics({ register: registry, prefix: 'rx_' }); // includes event-loop lag
}

/** HTTP response counts, and GET /metrics on the main port when METRICS_TOKEN is set. */
export function registerMetrics(app: FastifyInstance, config: Pick<Config, 'metrics'>, db: Database) {
  const { port, token } = config.metrics;
  if (port === undefined && !token) return;
  enable(db);
  app.addHook('onResponse', async (request, reply) => {
    httpResponses.inc({ route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode });
  });
  if (!token) return;
  app.get('/metrics', async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) return reply.code(401).send({ error: 'metrics need the metrics token' });
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/** GET /metrics alone on METRICS_PORT (for a scraper inside the private network); null when unset. */
export async function startMetricsServer(config: Pick<Config, 'metrics' | 'host'>): Promise<{ url: string; close(): Promise<void> } | null> {
  if (config.metrics.port === undefined) return null;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.metrics.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
