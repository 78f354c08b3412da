// The demo data is deterministic: two fresh databases seeded alike hold identical rows.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { seedDemoData } from '../src/seed/demo-data.js';
import { syncTenants } from '../src/tenants/tenant-files.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { emptyTestDatabase } from './support/server.js';

const tables = [
  'PartnerOrganization',
  'Partnership',
  'StaffMember',
  'Client',
  'ClientConsent',
  'ClientLock',
  'HealthChampion',
  'Program',
  'CommunityAsset',
  'SocialPrescription',
  'PrescriptionEvent',
  'PrescriptionItem',
  'OutcomeAssessment',
  'UtilizationRecord',
  'ReadinessAssessment',
  'ReadinessResponse',
  'LaunchActivity',
];

async function fingerprints(db: Database) {
  const result: Record<string, string> = {};
  for (const table of tables) {
    // Record keys are the aggregates' secret random keys: random by design, so left out.
    const rows = await db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT (to_jsonb(t) - 'recordKey')::text AS row FROM "${table}" t ORDER BY id`);
    result[table] = `${rows.length}:${createHash('sha256')
      .update(rows.map((r) => r.row).join('\n'))
      .digest('hex')}`;
  }
  return result;
}

describe('demo data', () => {
  const opened: { testDb: TestDatabase; db: Database }[] = [];
  const seeded: Record<string, string>[] = [];

  // Two seedings: the run's own (tests/global-setup.ts, through the server's start-up) and a fresh one here.
  beforeAll(async () => {
    for (const copyOf of [inject('seededDatabase'), undefined]) {
      const testDb = copyOf ? await createTestDatabase({}, { copyOf }) : await emptyTestDatabase();
      const db = await openDatabase(testDb.config);
      opened.push({ testDb, db });
      await db.migrate();
      if (!copyOf) {
        await syncTenants(db.prisma, testDb.config.tenantsDir);
        await seedDemoData(db.prisma);
      }
      seeded.push(await fingerprints(db));
    }
  }, 240_000);
  afterAll(async () => {
    for (const { db, testDb } of opened) {
      await db.close();
      await testDb.drop();
    }
  });

  it('is the same, row for row, on every run', () => {
    expect(seeded[1]).toEqual(seeded[0]);
  });

  it('mirrors the pilot headline at scale 1: ~55 prescribers, ~221 clients, over 600 prescriptions', async () => {
    const { db } = opened[0]!;
    expect(await db.prisma.client.count()).toBe(221);
    expect(await db.prisma.socialPrescription.count()).toBeGreaterThan(600);
    expect(await db.prisma.staffMember.count({ where: { roles: { has: 'PRESCRIBER' } } })).toBe(55);
    expect(await db.prisma.tenant.count()).toBe(11);
  });

  it('covers every referral status, support level and need at every run', async () => {
    const { db } = opened[0]!;
    const statuses = await db.prisma.socialPrescription.groupBy({ by: ['status'], _count: true });
    expect(statuses.map((s) => s.status).sort()).toEqual([
      'ACCEPTED',
      'CANCELLED',
      'COMPLETED',
      'DRAFT',
      'ENTERED_IN_ERROR',
      'FAILED',
      'IN_PROGRESS',
      'ON_HOLD',
      'REJECTED',
      'REQUESTED',
    ]);
    const levels = await db.prisma.socialPrescription.groupBy({ by: ['supportLevel'], _count: true });
    expect(levels).toHaveLength(4);
    const needs = await db.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(DISTINCT need)::int AS n FROM "SocialPrescription", unnest(needs) AS need');
    expect(needs[0]!.n).toBe(16);
  });
});
