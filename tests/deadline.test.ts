// Time and failure: every request ends by its deadline with TIMEOUT (503, Retry-After) and keeps
// nothing; a caller that leaves cancels its work; a database that is down or frozen answers
// SERVICE_UNAVAILABLE or TIMEOUT whichever step met it, and /readyz says which, in bounded time.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/server/app.js';
import { createTokenVerifier } from '../src/auth/tokens.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { bearer, testSecret, tokenEnv } from './support/tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('request deadline', () => {
  let server: TestServer;
  let worker: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ REQUEST_TIMEOUT_MS: '1500' });
    worker = await bearer({ tenant: 'guelph', roles: ['DATA_COORDINATOR'], subject: 'guelph.data_coordinator.1' });
  });
  afterAll(async () => server?.stop());

  /** Holds the clients table (PostgreSQL) or the one connection (embedded) until released. */
  async function blockClients(server: TestServer): Promise<() => Promise<void>> {
    if (server.db.kind === 'postgres') {
      const client = new pg.Client({ connectionString: server.testDb.config.databaseUrl });
      await client.connect();
      await client.query('BEGIN');
      await client.query('LOCK TABLE "Client" IN ACCESS EXCLUSIVE MODE');
      return async () => {
        await client.query('ROLLBACK');
        await client.end();
      };
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const transaction = server.db.prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe('SELECT 1');
        held();
        await released;
      },
      { timeout: 30_000 },
    );
    await holding;
    return async () => {
      release();
      await transaction;
    };
  }

  it('stops a read at the deadline: TIMEOUT, 503, Retry-After, no data, no audit row', async () => {
    const release = await blockClients(server);
    const started = performance.now();
    const result = await graphql(server, gql('{ clients(first: 5) { edges { node { givenName } } } }'), {}, { ...worker, 'x-request-id': 'deadline-read' });
    const ms = performance.now() - started;
    await release();
    expect(codes(result)).toEqual(['TIMEOUT']);
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).toBe('5');
    expect(result.data ?? null).toBeNull();
    expect(ms).toBeLessThan(4_000);
    expect(await server.db.prisma.auditEvent.count({ where: { correlationId: 'deadline-read' } })).toBe(0);
    // Positive control: unblocked, the same read answers and is audited.
    const ok = await graphql(server, gql('{ clients(first: 5) { edges { node { givenName } } } }'), {}, { ...worker, 'x-request-id': 'deadline-read-ok' });
    expect(ok.data?.clients.edges).toHaveLength(5);
    expect(await server.db.prisma.auditEvent.count({ where: { correlationId: 'deadline-read-ok' } })).toBe(5);
  });

  it('stops a write at the deadline and keeps nothing of it', async () => {
    const release = await blockClients(server);
    const result = await graphql(
      server,
      gql('mutation { createClient(input: { chartNumber: "DL-1", givenName: "Dee", familyName: "Line" }) { id } }'),
      {},
      worker,
    );
    await release();
    expect(codes(result)).toEqual(['TIMEOUT']);
    expect(await server.db.prisma.client.count({ where: { chartNumber: 'DL-1' } })).toBe(0);
    const ok = await graphql(server, gql('mutation { createClient(input: { chartNumber: "DL-2", givenName: "Dee", familyName: "Line" }) { id } }'), {}, worker);
    expect(ok.errors).toBeUndefined();
    expect(await server.db.prisma.client.count({ where: { chartNumber: 'DL-2' } })).toBe(1);
  });

  it('cancels the work of a caller that goes away: nothing written, no audit row', async () => {
    const release = await blockClients(server);
    const abort = new AbortController();
    const sent = fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...worker, 'x-request-id': 'deadline-gone' },
      body: JSON.stringify({ query: 'mutation { createClient(input: { chartNumber: "DL-3", givenName: "Gone", familyName: "Away" }) { id } }' }),
      signal: abort.signal,
    }).catch((error: Error) => error.name);
    await sleep(300);
    abort.abort();
    expect(await sent).toBe('AbortError');
    await release();
    await sleep(500);
    expect(await server.db.prisma.client.count({ where: { chartNumber: 'DL-3' } })).toBe(0);
    expect(await server.db.prisma.auditEvent.count({ where: { correlationId: 'deadline-gone' } })).toBe(0);
  });

  it('cuts off a client that trickles its body', async () => {
    const slow = await startTestServer({ BODY_TIMEOUT_MS: '1000' });
    try {
      const { port } = new URL(slow.url);
      const socket = net.connect(Number(port), '127.0.0.1');
      const closed = new Promise<number>((resolve) => {
        const started = performance.now();
        socket.on('close', () => resolve(performance.now() - started));
        socket.on('error', () => {});
      });
      socket.write('POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"q');
      const timer = setInterval(() => socket.write(' '), 200);
      const ms = await closed;
      clearInterval(timer);
      expect(ms).toBeLessThan(5_000);
    } finally {
      await slow.stop();
    }
  });
  it('stops at once beside a connection that never sent a request, and still answers the one in flight', async () => {
    const own = await startTestServer();
    const { port } = new URL(own.url);
    const idle = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    const release = await blockClients(own);
    const inFlight = graphql(own, gql('{ clients(first: 2) { edges { node { givenName } } } }'), {}, worker);
    await sleep(300);
    const started = performance.now();
    const stopped = own.stop();
    await sleep(300);
    await release();
    const answered = await inFlight;
    await stopped;
    await idleClosed;
    // Node held its stop for a connection that never sent anything until its keep-alive ran out (72 s).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answered.errors).toBeUndefined();
    expect(answered.data?.clients.edges).toHaveLength(2);
  });
});

describe('a database that is down or frozen', () => {
  const key = { kind: 'secret' as const, secret: new TextEncoder().encode(testSecret) };
  const verifier = createTokenVerifier(key, {
    issuer: tokenEnv.JWT_ISSUER,
    audience: tokenEnv.JWT_AUDIENCE,
    knownTenant: async () => true,
    knownPartner: async () => true,
  });
  let frozen: net.Server;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: a database that hangs.
    frozen = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => frozen.close(resolve));
  });

  async function appOn(databaseUrl: string) {
    const config = loadConfig({ ...tokenEnv, DATABASE_URL: databaseUrl, DATABASE_ACQUIRE_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '2000', LOG_LEVEL: 'silent' });
    const db = await openDatabase(config);
    const app = await buildApp({ config, db, logger: pino({ level: 'silent' }), verifier });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url,
      close: async () => {
        await app.close();
        await db.close().catch(() => {});
      },
    };
  }

  it('down: SERVICE_UNAVAILABLE with 503, and /readyz says unreachable', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const server = await appOn(`postgres://postgres@127.0.0.1:${port}/rx`);
    try {
      const result = await graphql(server, gql('{ viewer { kind } }'), {}, await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'] }));
      expect(result.status).toBe(503);
      expect(codes(result)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(result.headers.get('retry-after')).toBe('5');
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'database unreachable' });
    } finally {
      await server.close();
    }
  });

  it('frozen: answered within the bounds, and /readyz says timed out', async () => {
    const server = await appOn(`postgres://postgres@127.0.0.1:${(frozen.address() as AddressInfo).port}/rx`);
    try {
      const started = performance.now();
      const result = await graphql(server, gql('{ viewer { kind } }'), {}, await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'] }));
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(result.status).toBe(503);
      expect(['TIMEOUT', 'SERVICE_UNAVAILABLE']).toContain(codes(result)[0]);
      const readyStarted = performance.now();
      const ready = await fetch(`${server.url}/readyz`);
      expect(performance.now() - readyStarted).toBeLessThan(7_000);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'database timed out' });
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
