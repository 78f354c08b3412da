// Each test file gets its own database: an in-memory PGlite by default, or a uniquely named
// database on the server given by TEST_DATABASE_URL, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { tokenEnv } from './tokens.js';

export type TestDatabase = { config: Config; kind: 'pglite' | 'postgres'; drop(): Promise<void> };

export async function createTestDatabase(overrides: Record<string, string> = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...tokenEnv, ...overrides };
  if (!serverUrl) {
    delete base.DATABASE_URL;
    return { config: loadConfig({ ...base, PGLITE_DIR: 'memory://' }), kind: 'pglite', drop: async () => {} };
  }
  const name = `rx_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: loadConfig({ ...base, DATABASE_URL: url.toString() }),
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
