import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { driftFromSchema, loadMigrations, pendingMigrations } from '../src/db/schema-engine.js';
import type { TestDatabase } from './support/database.js';
import { emptyTestDatabase } from './support/server.js';

describe('migrations', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await emptyTestDatabase();
    db = await openDatabase(testDb.config);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('apply to an empty database, then report nothing pending', async () => {
    const onDisk = (await loadMigrations()).migrationDirectories.map((dir) => dir.path);
    expect(await pendingMigrations(db.prisma)).toEqual(onDisk);
    expect(await db.migrate()).toEqual(onDisk);
    expect(await pendingMigrations(db.prisma)).toEqual([]);
    expect(await db.migrate()).toEqual([]);
    const tables = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'SocialPrescription'",
    );
    expect(tables[0]!.n).toBe(1);
  });

  it('agree with schema.prisma (a model change without a migration fails here)', async () => {
    const shadow = await emptyTestDatabase({}, { embedded: true });
    try {
      expect(await driftFromSchema({ shadowDir: shadow.config.pgliteDir })).toBe('');
    } finally {
      await shadow.drop();
    }
  });
});
