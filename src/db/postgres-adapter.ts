// Two corrections to @prisma/adapter-pg, both about migrations:
// - it runs a script by splitting it on every ";", which breaks a DO block or a comment holding
//   one. A script has no parameters, so it goes to the server whole, as one simple query, which
//   runs its statements in order (as PGlite's exec does);
// - its shadow database reuses the connection string (which wins over the shadow's name, so the
//   "shadow" is the real database) and is dropped while its pool is still connected.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

type PgAdapter = SqlDriverAdapter & { underlyingDriver(): pg.Pool; onError(error: unknown): never };

function runScriptsWhole<T extends SqlDriverAdapter>(adapter: T): T {
  const pgAdapter = adapter as unknown as PgAdapter;
  pgAdapter.executeScript = async (script: string) => {
    try {
      await pgAdapter.underlyingDriver().query(script);
    } catch (error) {
      pgAdapter.onError(error);
    }
  };
  return adapter;
}

export class PostgresAdapterFactory extends PrismaPg {
  private readonly clientConfig: pg.ClientConfig;

  /** `connectTimeoutMs`: longest a new connection may take (a frozen server otherwise holds it forever). */
  constructor(url: string, poolSize: number, connectTimeoutMs = 10_000) {
    const clientConfig = { ...parseIntoClientConfig(url), connectionTimeoutMillis: connectTimeoutMs };
    super({ ...clientConfig, max: poolSize });
    this.clientConfig = clientConfig;
  }

  /** The pool of the newest connection: the request client's once migrations are done (metrics read it). */
  pool?: pg.Pool;

  override async connect() {
    const adapter = runScriptsWhole(await super.connect());
    this.pool = (adapter as unknown as PgAdapter).underlyingDriver();
    return adapter;
  }

  override async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.onServer(`CREATE DATABASE "${name}"`);
    const adapter = runScriptsWhole(await new PrismaPg({ ...this.clientConfig, database: name, max: 2 }).connect());
    const closePool = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await closePool();
      await this.onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  }

  private async onServer(sql: string) {
    const client = new pg.Client(this.clientConfig);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
