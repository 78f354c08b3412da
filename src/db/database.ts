import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';

export type Database = {
  kind: 'pglite' | 'postgres';
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The owner connection: migrations, tenant sync, seeding. Request work goes through a scoped transaction. */
  prisma: PrismaClient;
  close(): Promise<void>;
};

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'pgliteDir'>): Promise<Database> {
  if (config.databaseUrl) {
    const adapterFactory = new PrismaPg({ connectionString: config.databaseUrl, max: config.databasePoolSize });
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return { kind: 'postgres', adapterFactory, prisma, close: () => prisma.$disconnect() };
  }
  if (config.pgliteDir !== 'memory://') await mkdir(config.pgliteDir, { recursive: true });
  const pglite = await PGlite.create(config.pgliteDir);
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    adapterFactory,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
