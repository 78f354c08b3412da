import { mkdir } from 'node:fs/promises';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import { applyMigrations } from './schema-engine.js';
import { PostgresAdapterFactory } from './postgres-adapter.js';
import { PGliteThread } from './pglite-thread.js';
import { durableStartParams } from './pglite-durability.js';
import { lockFolder } from './folder-lock.js';
import { observeQueries, type QueryObserver } from './query-observer.js';

export type Database = {
  kind: 'pglite' | 'postgres';
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The owner connection: migrations, tenant sync, seeding. Request work goes through a scoped transaction. */
  prisma: PrismaClient;
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** Told every statement the Prisma client sends (measurement: tests/n-plus-one.test.ts, scripts/bench-api.ts). */
  onQuery?: QueryObserver;
};

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'pgliteDir'> & Partial<Pick<Config, 'databaseAcquireTimeoutMs' | 'pgliteFsync'>>,
  { onQuery }: DatabaseOptions = {},
): Promise<Database> {
  const clientOf = (adapterFactory: SqlMigrationAwareDriverAdapterFactory) =>
    new PrismaClient({ adapter: onQuery ? observeQueries(adapterFactory, onQuery) : adapterFactory });
  if (config.databaseUrl) {
    const adapterFactory = new PostgresAdapterFactory(config.databaseUrl, config.databasePoolSize, config.databaseAcquireTimeoutMs);
    const prisma = clientOf(adapterFactory);
    return {
      kind: 'postgres',
      adapterFactory,
      prisma,
      migrate: () => applyMigrations(adapterFactory),
      close: () => prisma.$disconnect(),
    };
  }
  if (config.pgliteDir !== 'memory://') await mkdir(config.pgliteDir, { recursive: true });
  // On a worker thread of its own: a long statement must not stall this thread's HTTP work.
  const onDisk = config.pgliteDir !== 'memory://';
  const release = onDisk ? lockFolder(config.pgliteDir) : () => {};
  let pglite: PGliteThread;
  try {
    pglite = await PGliteThread.create(config.pgliteDir, onDisk && config.pgliteFsync !== false ? { startParams: durableStartParams } : undefined);
  } catch (error) {
    release();
    throw error;
  }
  const adapterFactory = pglite.adapterFactory();
  const prisma = clientOf(adapterFactory);
  return {
    kind: 'pglite',
    adapterFactory,
    prisma,
    async migrate() {
      const applied = await applyMigrations(adapterFactory);
      // PGlite serializes array parameters by type; it must learn the enum array types the
      // migrations created, or a filter such as `roles: { has: … }` sends a malformed literal.
      await pglite.refreshArrayTypes();
      return applied;
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}
