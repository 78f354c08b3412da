// The database alone isolates: with the shield layer removed, and with deliberately unfiltered SQL
// inside a request's transaction, another site's rows stay invisible and cross-site writes fail.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../src/auth/principal.js';
import { createTokenVerifier } from '../src/auth/tokens.js';
import { principalSettingsSql } from '../src/db/principal-settings.js';
import { openRequestScope } from '../src/db/request-scope.js';
import { assertRequestRoleIsRestricted } from '../src/db/role-check.js';
import { buildApp } from '../src/server/app.js';
import { schema as unprotectedSchema } from '../src/graphql/schema.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { network, partner, staff, testAudience, testIssuer, testSecret } from './support/tokens.js';

const phiTables = [
  'Client',
  'ClientConsent',
  'ClientLock',
  'SocialPrescription',
  'PrescriptionEvent',
  'PrescriptionItem',
  'OutcomeAssessment',
  'UtilizationRecord',
  'AuditEvent',
];
const siteTables = ['StaffMember', 'HealthChampion', 'ReadinessAssessment', 'ReadinessResponse', 'Partnership', 'CommunityAsset', 'Program'];

const guelphStaff: Principal = {
  kind: 'STAFF',
  subject: 'guelph.site_admin.1',
  tenantId: 'guelph',
  roles: ['PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR', 'PRIVACY_OFFICER', 'SITE_ADMIN'],
};

describe('row-level security', () => {
  let server: TestServer;
  let bare: FastifyInstance;
  let bareUrl: string;

  /** Runs raw SQL inside a request transaction as the given principal, then rolls back. */
  async function asPrincipal(principal: Principal | null, work: (tx: any) => Promise<any>): Promise<any> {
    const [sql, ...params] = principalSettingsSql(principal);
    const scope = await openRequestScope(server.db.prisma, (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), {
      maxWaitMs: 10_000,
      timeoutMs: 30_000,
    });
    try {
      return await work(scope.db);
    } finally {
      await scope.finish(false).catch(() => {});
    }
  }
  const tenantsIn = (tx: any, table: string) =>
    tx.$queryRawUnsafe(`SELECT DISTINCT "tenantId" AS t FROM "${table}"`).then((rows: { t: string | null }[]) => rows.map((r) => r.t));

  beforeAll(async () => {
    server = await startTestServer();
    const verifier = createTokenVerifier(
      { kind: 'secret', secret: new TextEncoder().encode(testSecret) },
      {
        issuer: testIssuer,
        audience: testAudience,
        knownTenant: async () => true,
        knownPartner: async () => true,
      },
    );
    bare = await buildApp({ config: server.testDb.config, db: server.db, logger: pino({ level: 'silent' }), verifier, schema: unprotectedSchema });
    bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await bare?.close();
    await server?.stop();
  });

  describe('with the shield layer removed', () => {
    const ask = async (headers: Record<string, string>) => graphql({ url: bareUrl }, '{ clients(first: 100) { edges { node { id } } } }', {}, headers);

    it('a site still reads only its own clients', async () => {
      const result = await ask(await staff('guelph', 'LINK_WORKER'));
      const ids = result.data.clients.edges.map((e: any) => Buffer.from(e.node.id, 'base64').toString().split(':')[1]);
      const owners = await server.db.prisma.client.findMany({ where: { id: { in: ids } }, select: { tenantId: true } });
      expect(owners.length).toBeGreaterThan(0);
      expect(new Set(owners.map((o) => o.tenantId))).toEqual(new Set(['guelph']));
    });

    it.each([
      ['a health champion', () => staff('guelph', 'HEALTH_CHAMPION')],
      ['a site admin', () => staff('guelph', 'SITE_ADMIN')],
      ['an Alliance analyst', () => network('ALLIANCE_ANALYST')],
      ['a partner', () => partner('teamcare', 'referrals:create referrals:read programs:read')],
    ])('%s reads no client, by list or through a prescription', async (_who, headers) => {
      const h = await headers();
      const clients = await graphql({ url: bareUrl }, '{ clients(first: 100) { edges { node { id givenName } } } }', {}, h);
      expect(clients.data.clients.edges).toEqual([]);
      // A partner may see its own referrals' rows; their client rows stay invisible (the
      // non-null client then fails the field rather than returning anything).
      const nested = await graphql({ url: bareUrl }, '{ socialPrescriptions(first: 100) { edges { node { client { givenName familyName } } } } }', {}, h);
      expect(JSON.stringify(nested.data ?? {})).not.toMatch(/givenName|familyName/);
    });
  });

  describe('with unfiltered SQL inside a request transaction', () => {
    it('runs as a role that cannot bypass row-level security', async () => {
      await expect(assertRequestRoleIsRestricted(server.db.prisma)).resolves.toBeUndefined();
      const [role] = await asPrincipal(guelphStaff, (tx) =>
        tx.$queryRawUnsafe('SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user'),
      );
      expect(role).toEqual({ name: 'rx_app', rolsuper: false, rolbypassrls: false });
    });

    it('site staff see only their own site in every tenant table', async () => {
      for (const table of [...phiTables, ...siteTables]) {
        const tenants = await asPrincipal(guelphStaff, (tx) => tenantsIn(tx, table));
        const allowed = table === 'Program' ? ['guelph', null] : ['guelph'];
        if (table === 'CommunityAsset') {
          const foreign = await asPrincipal(guelphStaff, (tx) =>
            tx.$queryRawUnsafe(`SELECT count(*)::int AS n FROM "CommunityAsset" WHERE "tenantId" <> 'guelph' AND visibility <> 'NETWORK'`),
          );
          expect(foreign[0].n, table).toBe(0);
          continue;
        }
        expect(
          tenants.every((t: string | null) => allowed.includes(t)),
          `${table}: ${tenants}`,
        ).toBe(true);
      }
    });

    it('with no principal set, every tenant table is empty', async () => {
      for (const table of [...phiTables, ...siteTables]) {
        expect(await asPrincipal(null, (tx) => tenantsIn(tx, table)), table).toEqual([]);
      }
    });

    it('network principals see no row of any health-information table', async () => {
      for (const table of phiTables) {
        expect(await asPrincipal({ kind: 'NETWORK', subject: 'a', roles: ['ALLIANCE_ADMIN'] }, (tx) => tenantsIn(tx, table)), table).toEqual([]);
      }
    });

    it('refuses inserts carrying another site’s tenantId', async () => {
      await expect(
        asPrincipal(guelphStaff, (tx) =>
          tx.$executeRawUnsafe(
            `INSERT INTO "Client" (id, "tenantId", "chartNumber", "givenName", "familyName", "updatedAt") VALUES (gen_random_uuid(), 'norwest', 'X-1', 'A', 'B', now())`,
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        asPrincipal(guelphStaff, (tx) =>
          tx.$executeRawUnsafe(
            `INSERT INTO "StaffMember" (id, "tenantId", subject, "displayName", roles, "updatedAt") VALUES (gen_random_uuid(), 'norwest', 'spy', 'Spy', '{LINK_WORKER}', now())`,
          ),
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('cannot move a row to another site, nor touch another site’s rows', async () => {
      await expect(asPrincipal(guelphStaff, (tx) => tx.$executeRawUnsafe(`UPDATE "Client" SET "tenantId" = 'norwest'`))).rejects.toThrow(
        /row-level security|foreign key/,
      );
      expect(await asPrincipal(guelphStaff, (tx) => tx.$executeRawUnsafe(`UPDATE "Client" SET "givenName" = 'X' WHERE "tenantId" = 'norwest'`))).toBe(0);
      expect(await asPrincipal(guelphStaff, (tx) => tx.$executeRawUnsafe(`DELETE FROM "SocialPrescription" WHERE "tenantId" = 'norwest'`))).toBe(0);
      expect(await server.db.prisma.client.count({ where: { tenantId: 'norwest', givenName: 'X' } })).toBe(0);
    });

    it('keeps prescription history and the audit trail append-only', async () => {
      for (const table of ['PrescriptionEvent', 'AuditEvent']) {
        await expect(
          asPrincipal(guelphStaff, (tx) => tx.$executeRawUnsafe(`UPDATE "${table}" SET "actorSubject" = 'x'`)),
          table,
        ).rejects.toThrow(/permission denied/);
        await expect(
          asPrincipal(guelphStaff, (tx) => tx.$executeRawUnsafe(`DELETE FROM "${table}"`)),
          table,
        ).rejects.toThrow(/permission denied/);
      }
    });

    it('a partner sees only the referrals it made', async () => {
      const teamcare: Principal = {
        kind: 'PARTNER',
        subject: 'teamcare.integration',
        partnerId: 'teamcare',
        scopes: ['referrals:read', 'referrals:create', 'programs:read'],
      };
      const rows = await asPrincipal(teamcare, (tx) => tx.$queryRawUnsafe(`SELECT DISTINCT "referringPartnerId" AS p FROM "SocialPrescription"`));
      expect(rows.map((r: { p: string }) => r.p)).toEqual(['teamcare']);
      expect(await asPrincipal(teamcare, (tx) => tenantsIn(tx, 'Client'))).toEqual([]);
      expect(await asPrincipal({ ...teamcare, scopes: ['referrals:create'] }, (tx) => tenantsIn(tx, 'SocialPrescription'))).toEqual([]);
    });
  });
});
