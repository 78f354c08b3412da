// Running in production: no demo data unless asked, CORS allowlist and security headers, no
// personal health information in the logs, no schema hints in errors, metrics behind a token or
// on their own port; and several instances starting together on one PostgreSQL database.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server/start.js';
import { metrics } from '../src/server/metrics.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { codes, emptyTestDatabase, graphql } from './support/server.js';
import { staff } from './support/tokens.js';

const frontEnd = 'https://rx.example.org';
const metricsToken = 'metrics-token-for-tests-0123456789';
const quiet = () => pino({ level: 'silent' });

describe('demo data in production', () => {
  it('is seeded by default only outside production, and in production only when asked', () => {
    expect(loadConfig({}).seedOnEmpty).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seedOnEmpty).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_ON_EMPTY: 'true' }).seedOnEmpty).toBe(true);
    expect(loadConfig({ SEED_ON_EMPTY: 'false' }).seedOnEmpty).toBe(false);
  });
});

// In the order written (also under --sequence.shuffle): it starts empty, and later steps write and count requests.
describe('a production server', { shuffle: false }, () => {
  let testDb: TestDatabase;
  let server: RunningServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    testDb = await emptyTestDatabase({
      NODE_ENV: 'production',
      CORS_ORIGINS: `${frontEnd}, https://other.example.org`,
      METRICS_TOKEN: metricsToken,
      METRICS_PORT: '0',
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    // seedAnyDatabase: the production rule, not the database kind, is what keeps the demo data out.
    server = await startServer(testDb.config, logger, { seedAnyDatabase: true });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('starts on an empty database without seeding it', async () => {
    expect(await server.db.prisma.client.count()).toBe(0);
    expect(logLines.join('')).toContain('not seeded with demo data in production');
  });

  it('answers a misspelt field without schema hints', async () => {
    const headers = await staff('guelph', 'LINK_WORKER');
    for (const query of ['{ viewr { kind } }', '{ viewer { kindd } }', '{ clients(frist: 1) { totalCount } }']) {
      const result = await graphql(server, query, {}, headers);
      expect(new Set(codes(result))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(JSON.stringify(result.errors)).not.toMatch(/Did you mean/i);
    }
  });

  it('sends the security headers of a JSON API', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('lets the allowed front-end origins call it from a browser, and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(frontEnd);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(frontEnd);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const headers = { origin: frontEnd, ...(await staff('guelph', 'LINK_WORKER')) };
    const post = await graphql(server, '{ viewer { tenant } }', {}, headers);
    expect(post.data).toEqual({ viewer: { tenant: 'guelph' } });
    expect(post.headers.get('access-control-allow-origin')).toBe(frontEnd);
    expect(post.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ viewer { tenant } }')}`, {
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { viewer: { tenant: 'guelph' } } });
  });

  it('keeps names and query strings out of the log; user errors at info by code, without stacks', async () => {
    const headers = await staff('guelph', 'LINK_WORKER');
    const name = 'Zebulon-Quixotic';
    const create = 'mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }';
    const input = { chartNumber: 'PHI-LOG-1', givenName: name, familyName: 'Logtest' };
    expect(codes(await graphql(server, create, { input }))).toEqual(['UNAUTHENTICATED']);
    expect((await graphql(server, create, { input }, headers)).errors).toBeUndefined();
    expect(codes(await graphql(server, create, { input }, headers))).toEqual(['CONFLICT']); // quotes the chart number
    expect(codes(await graphql(server, create, { input: { ...input, chartNumber: 'PHI-LOG-2', dateOfBirth: '1800-01-01' } }, headers))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const query = `query Find($name: String) { clients(first: 1) { totalCount } }`; // $name unused: refused, 400
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ name }))}`, {
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);

    const log = logLines.join('');
    expect(log).toContain('"path":"/graphql"');
    expect(log).toContain('incoming request');
    expect(log).not.toContain(name);
    expect(log).not.toContain('Logtest');
    expect(log).not.toContain('PHI-LOG');
    expect(log).not.toContain('variables');
    const userErrors = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'answered with an error');
    expect(userErrors.map((entry) => entry.code)).toEqual(expect.arrayContaining(['CONFLICT', 'BAD_USER_INPUT']));
    for (const entry of userErrors) {
      expect(entry.level).toBe(30);
      expect(JSON.stringify(entry)).not.toMatch(/stack|\n\s+at /);
    }
  });

  it('serves Prometheus metrics behind the metrics token and on the metrics port', async () => {
    const read = async () => (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    // The counters belong to the process, which other test files' servers share: each must have grown by one.
    const count = (text: string, series: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.slice(series.length + 1) ?? 0,
      );
    const series = [
      'rx_graphql_requests_total{operation="Dashboard",code="OK"}',
      'rx_graphql_request_duration_seconds_bucket{le="0.5",operation="Dashboard",code="OK"}',
      'rx_graphql_requests_total{operation="Misspelt",code="GRAPHQL_VALIDATION_FAILED"}',
      'rx_requests_rejected_total{reason="depth"}',
      'rx_requests_rate_limited_total',
    ];
    const before = await read();
    metrics.rejected('depth');
    metrics.rateLimited();
    await graphql(server, 'query Dashboard { viewer { kind } }', {}, await staff('guelph', 'LINK_WORKER'));
    await graphql(server, 'query Misspelt { viewer { kindd } }', {}, await staff('guelph', 'LINK_WORKER'));
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-same-len!!' } })).status).toBe(401);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(series.map((name) => count(text, name) - count(before, name))).toEqual(series.map(() => 1));
    expect(text).toMatch(/rx_nodejs_eventloop_lag_seconds \d/);
    expect(text).toMatch(/rx_http_responses_total\{route="\/graphql",status="200"\} \d/);
    if (testDb.kind === 'postgres') expect(text).toMatch(/rx_db_pool_connections [1-9]/);

    expect(server.metricsUrl).toBeDefined();
    const separate = await fetch(server.metricsUrl!);
    expect(separate.status).toBe(200);
    expect(await separate.text()).toContain('rx_graphql_requests_total');
  });
});

describe('a server with the defaults', () => {
  let testDb: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    testDb = await emptyTestDatabase({ SEED_ON_EMPTY: 'false' });
    server = await startServer(testDb.config, quiet());
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('allows no cross-origin caller and serves no metrics', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: frontEnd, 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(server.metricsUrl).toBeUndefined();
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('three instances starting together on one PostgreSQL database', () => {
  let testDb: TestDatabase;
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    await testDb?.drop();
  });

  it('all come up: one migrates, the others wait and find nothing pending', async () => {
    testDb = await createTestDatabase();
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer(testDb.config, quiet())));
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'up'))).toEqual(['up', 'up', 'up']);
    for (const server of servers) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 180_000);
});
