// SIGTERM in the middle of a burst of writes, sent to the real server running as its own process:
// every acknowledged write is in the database with its audit row, nothing is half-written, and
// the process exits 0. On the PostgreSQL server when TEST_DATABASE_URL is set, and always on an
// embedded database folder (both survive the process).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { emptyTestDatabase } from './support/server.js';
import { staff, tokenEnv } from './support/tokens.js';

type Server = { child: ChildProcess; url: string; exit: Promise<number | null>; logs: string[] };

async function spawnServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...tokenEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_ON_EMPTY: 'false', SHUTDOWN_GRACE_MS: '10000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk) => logs.push(String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      if (line.includes('Rx: Community API ready')) resolve(JSON.parse(line).url);
    });
    void exit.then((code) => reject(new Error(`server exited ${code} before it was ready:\n${logs.join('\n')}`)));
  });
  return { child, url, exit, logs };
}

type Written = { id: string; chartNumber: string };

/** Writes from `workers` loops until the server stops answering; SIGTERM once `signalAfter` are acknowledged. */
async function burstWithSigterm(server: Server, workers: number, signalAfter: number) {
  const headers = { 'content-type': 'application/json', ...(await staff('guelph', 'LINK_WORKER')) };
  const acknowledged: Written[] = [];
  let sent = 0;
  let acknowledgedAfterSignal = 0;
  let signalled = false;
  let signalledAt = 0;
  const worker = async (w: number) => {
    for (let i = 0; ; i++) {
      const chartNumber = `SHUT-${w}-${i}`;
      sent++;
      let body: { data?: { createClient?: { id: string } } } | undefined;
      try {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: 'mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }',
            variables: { input: { chartNumber, givenName: 'Shutdown', familyName: `Burst ${w}-${i}` } },
          }),
        });
        if (response.status !== 200) return; // 503 while closing: refused, not acknowledged
        body = (await response.json()) as typeof body;
      } catch {
        return; // connection refused or cut: not acknowledged
      }
      const id = body?.data?.createClient?.id;
      if (!id) throw new Error(`write refused before the signal: ${JSON.stringify(body)}`);
      acknowledged.push({ id, chartNumber });
      if (signalled) acknowledgedAfterSignal++;
      if (!signalled && acknowledged.length >= signalAfter) {
        signalled = true;
        signalledAt = performance.now();
        server.child.kill('SIGTERM');
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  await server.exit;
  return { acknowledged, sent, acknowledgedAfterSignal, exitMs: Math.round(performance.now() - signalledAt) };
}

type Row = { chartNumber: string; writes: number };
const rowsSql = `
  SELECT c."chartNumber", (SELECT count(*)::int FROM "AuditEvent" a WHERE a."clientId" = c.id AND a.action = 'WRITE') AS writes
  FROM "Client" c WHERE c."chartNumber" LIKE 'SHUT-%'`;

function expectAllKept(acknowledged: Written[], rows: Row[]) {
  const kept = new Set(rows.map((row) => row.chartNumber));
  expect(acknowledged.filter((write) => !kept.has(write.chartNumber))).toEqual([]);
  // None half-written: every client row that exists carries exactly its one WRITE audit row.
  for (const row of rows) expect(row.writes, row.chartNumber).toBe(1);
  expect(rows.length).toBeGreaterThanOrEqual(acknowledged.length);
}

describe('graceful shutdown under write load', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'on the PostgreSQL server: acknowledged writes kept, exit 0',
    async () => {
      const testDb: TestDatabase = await createTestDatabase();
      cleanups.push(() => testDb.drop());
      const server = await spawnServer({ DATABASE_URL: testDb.config.databaseUrl! });
      const result = await burstWithSigterm(server, 8, 40);
      expect(await server.exit, server.logs.join('\n')).toBe(0);
      expect(server.logs.join('\n')).toContain('"msg":"shut down"');
      const client = new pg.Client({ connectionString: testDb.config.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<Row>(rowsSql);
        expectAllKept(result.acknowledged, rows);
        console.info('PostgreSQL:', {
          sent: result.sent,
          acknowledged: result.acknowledged.length,
          afterSignal: result.acknowledgedAfterSignal,
          rows: rows.length,
          exitMs: result.exitMs,
        });
      } finally {
        await client.end();
      }
    },
    180_000,
  );

  it('on an embedded database folder: acknowledged writes kept, exit 0', async () => {
    const testDb = await emptyTestDatabase({}, { embedded: true });
    cleanups.push(() => testDb.drop());
    const folder = testDb.config.pgliteDir;
    const server = await spawnServer({ DATABASE_URL: '', PGLITE_DIR: folder, DATA_DIR: path.dirname(folder) });
    const result = await burstWithSigterm(server, 8, 40);
    expect(await server.exit, server.logs.join('\n')).toBe(0);
    const db = await PGlite.create(folder);
    try {
      const { rows } = await db.query<Row>(rowsSql);
      expectAllKept(result.acknowledged, rows);
      console.info('PGlite:', {
        sent: result.sent,
        acknowledged: result.acknowledged.length,
        afterSignal: result.acknowledgedAfterSignal,
        rows: rows.length,
        exitMs: result.exitMs,
      });
    } finally {
      await db.close();
    }
  }, 180_000);
});
