// Each test file gets its own database: a PGlite data folder in a temporary directory, or a
// uniquely named database on the server given by TEST_DATABASE_URL, removed afterwards. Either may
// start as a copy of the database tests/global-setup.ts prepared once for the whole run.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { tokenEnv } from './tokens.js';

/** Where a test database lives, which is all another test database needs to start as its copy. */
export type DatabaseLocation = { kind: 'pglite'; dir: string } | { kind: 'postgres'; name: string };

export type TestDatabase = { config: Config; kind: DatabaseLocation['kind']; location: DatabaseLocation; drop(): Promise<void> };

/**
 * A new test database, empty or a copy of `copyOf`: on PGlite, or on the server of
 * TEST_DATABASE_URL when it is set (`embedded`: on PGlite whatever the run's database).
 */
export async function createTestDatabase(
  overrides: Record<string, string> = {},
  { copyOf, embedded = false }: { copyOf?: DatabaseLocation; embedded?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = embedded ? undefined : process.env.TEST_DATABASE_URL;
  // Throwaway copies: no flush to disk on each commit (PGLITE_FSYNC), unless a test asks for it.
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PGLITE_FSYNC: 'false', ...tokenEnv, ...overrides };
  if (copyOf && copyOf.kind !== (serverUrl ? 'postgres' : 'pglite')) throw new Error(`cannot copy a ${copyOf.kind} test database here`);
  if (!serverUrl) {
    delete base.DATABASE_URL;
    const parent = await mkdtemp(path.join(os.tmpdir(), 'rx-test-'));
    const dir = path.join(parent, 'pglite');
    // The source is closed (the global setup's server has stopped), so its files are consistent.
    // The system's cp: a fifth of the CPU time of fs.cp over the folder's thousand small files.
    if (copyOf?.kind === 'pglite') await promisify(execFile)('cp', ['-R', copyOf.dir, dir]);
    return {
      config: loadConfig({ ...base, PGLITE_DIR: dir }),
      kind: 'pglite',
      location: { kind: 'pglite', dir },
      drop: () => rm(parent, { recursive: true, force: true }),
    };
  }
  const name = `rx_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  // Nobody may be connected to a template while it is copied: only the global setup ever is, before any test file runs.
  await onServer(serverUrl, `CREATE DATABASE "${name}"${copyOf?.kind === 'postgres' ? ` TEMPLATE "${copyOf.name}"` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: loadConfig({ ...base, DATABASE_URL: url.toString() }),
    kind: 'postgres',
    location: { kind: 'postgres', name },
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** An embedded database created (initdb, about 5 s of CPU) and closed, for copies that must start empty. */
export async function createEmptyEmbeddedDatabase(): Promise<TestDatabase> {
  const empty = await createTestDatabase({}, { embedded: true });
  const location = empty.location as Extract<DatabaseLocation, { kind: 'pglite' }>;
  await (await PGlite.create(location.dir)).close();
  return empty;
}

async function onServer(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
