// The privacy defects found around the aggregates (issue 10), each played as the attacker found
// it, over HTTP (and, for what the database itself must refuse, as the request role), each with a
// positive control: the same question from someone allowed still gets its answer.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.js';
import { principalSettingsSql } from '../src/db/principal-settings.js';
import { openRequestScope, type RequestDb } from '../src/db/request-scope.js';
import { gql, type VariablesOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { versioned } from './support/versions.js';
import { bearer, partner, staff } from './support/tokens.js';

const pinnedSearchPath = 'search_path=pg_catalog, public, pg_temp';

describe('privacy defects (issue 10)', () => {
  let server: TestServer;
  const owner = () => server.db.prisma;
  const audit = (correlationId: string) => owner().auditEvent.findMany({ where: { correlationId }, orderBy: { clientId: 'asc' } });
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

  /** Raw SQL in a request transaction as the request role with this principal's settings; rolled back. Errors are returned. */
  async function asRequestRole(principal: Principal, work: (tx: RequestDb) => Promise<unknown>): Promise<unknown> {
    const [sql, ...params] = principalSettingsSql(principal);
    const scope = await openRequestScope(owner(), (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), { maxWaitMs: 10_000, timeoutMs: 30_000 });
    try {
      return await work(scope.db);
    } catch (error) {
      return error;
    } finally {
      await scope.finish(false).catch(() => {});
    }
  }
  const guelphOfficer: Principal = { kind: 'STAFF', subject: 'guelph.privacy_officer.1', tenantId: 'guelph', roles: ['PRIVACY_OFFICER', 'LINK_WORKER'] };
  const teamcare: Principal = { kind: 'PARTNER', subject: 'teamcare.integration', partnerId: 'teamcare', scopes: ['referrals:read'] };

  const lockRecord = gql('mutation($input: LockClientRecordInput!) { lockClientRecord(input: $input) { id } }');
  async function lock(clientId: string, category: VariablesOf<typeof lockRecord>['input']['category'], allowedSubjects: string[] = [], tenant = 'guelph') {
    const allowed = await owner().staffMember.findMany({ where: { subject: { in: allowedSubjects } }, select: { id: true } });
    const result = await graphql(
      server,
      lockRecord,
      { input: { clientId: encodeGlobalID('Client', clientId), category, allowedStaffIds: allowed.map((s) => encodeGlobalID('StaffMember', s.id)) } },
      await staff(tenant, 'PRIVACY_OFFICER'),
    );
    expect(result.errors).toBeUndefined();
    return result.data!.lockClientRecord.id;
  }

  beforeAll(async () => {
    // A copy of the seeded database, as the other files start: a copy made from a template
    // (CREATE DATABASE … TEMPLATE) does not keep the hardening migration's TEMPORARY revoke, a
    // database-level grant, but start-up takes it back on every start (db/role-check.ts).
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('search_path and temporary tables (SECURITY DEFINER functions)', () => {
    it('every SECURITY DEFINER function, whichever migration made it, pins pg_catalog, public, pg_temp', async () => {
      const functions = await owner().$queryRawUnsafe<{ name: string; config: string[] | null }[]>(
        `SELECT p.oid::regprocedure::text AS name, p.proconfig AS config FROM pg_proc p WHERE p.prosecdef ORDER BY 1`,
      );
      expect(functions.map((f) => f.name)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^partner_referral_clients/), expect.stringMatching(/^agg_summary/)]),
      );
      expect(functions.filter((f) => !(f.config ?? []).includes(pinnedSearchPath)).map((f) => `${f.name} ${f.config}`)).toEqual([]);
    });

    it('the request role may not create temporary tables (the owner still may)', async () => {
      const [privileges] = await owner().$queryRawUnsafe<{ app: boolean; owner: boolean }[]>(
        `SELECT has_database_privilege('rx_app', current_database(), 'TEMPORARY') AS app, has_database_privilege(current_user, current_database(), 'TEMPORARY') AS owner`,
      );
      expect(privileges).toEqual({ app: false, owner: true });
      const attempt = await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe('CREATE TEMP TABLE "ClientLock" (id text)'));
      expect(String(attempt)).toMatch(/permission denied/);
    });

    it('a temporary table named like a real one is not what partner_referral_clients reads', async () => {
      const referral = await owner().socialPrescription.findFirstOrThrow({
        where: { tenantId: 'norwest', referringPartnerId: 'teamcare' },
        orderBy: { id: 'desc' },
      });
      const record = gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { status } }');
      const input = { clientId: encodeGlobalID('Client', referral.clientId), kind: 'PARTNER_SHARING' as const, partner: 'teamcare' };
      const siteStaff = await staff('norwest', 'LINK_WORKER');
      const shared = () =>
        owner().$transaction(async (tx) => {
          const [sql, ...params] = principalSettingsSql(teamcare);
          await tx.$executeRawUnsafe(sql, ...params);
          return tx.$queryRawUnsafe<{ givenName: string }[]>('SELECT "givenName" FROM partner_referral_clients($1::text[])', [referral.id]);
        });

      // Positive control: while consent is in force the partner gets the client.
      expect((await graphql(server, record, { input: { ...input, status: 'GRANTED' } }, siteStaff)).errors).toBeUndefined();
      expect(await shared()).toHaveLength(1);

      expect((await graphql(server, record, { input: { ...input, status: 'WITHDRAWN' } }, siteStaff)).errors).toBeUndefined();
      expect(await shared()).toHaveLength(0);
      // The attack: a session-local "ClientConsent" that says the client consents (made here by the
      // owner, as the request role may no longer make one). pg_temp, searched first unless named,
      // is last for the function, so the real table still answers.
      const shadowed = await owner().$transaction(async (tx) => {
        await tx.$executeRawUnsafe('CREATE TEMP TABLE "ClientConsent" ON COMMIT DROP AS SELECT * FROM public."ClientConsent" WHERE false');
        await tx.$executeRawUnsafe(
          `INSERT INTO pg_temp."ClientConsent" (id, "tenantId", "clientId", kind, "partnerId", status, "recordedAt")
           VALUES ('shadow', $1, $2, 'PARTNER_SHARING', 'teamcare', 'GRANTED', now() + interval '1 day')`,
          referral.tenantId,
          referral.clientId,
        );
        const [sql, ...params] = principalSettingsSql(teamcare);
        await tx.$executeRawUnsafe(sql, ...params);
        return tx.$queryRawUnsafe<unknown[]>('SELECT * FROM partner_referral_clients($1::text[])', [referral.id]);
      });
      expect(shadowed).toEqual([]);
    });

    it('consent_in_force answers only its site’s staff and the partner it names', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'norwest' }, orderBy: { chartNumber: 'asc' } });
      const granted = await graphql(
        server,
        gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { status } }'),
        { input: { clientId: encodeGlobalID('Client', client.id), kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'GRANTED' } },
        await staff('norwest', 'LINK_WORKER'),
      );
      expect(granted.errors).toBeUndefined();
      const ask = (principal: Principal, partnerId = 'teamcare') =>
        asRequestRole(principal, async (tx) => {
          const [row] = await tx.$queryRawUnsafe<{ granted: boolean }[]>(
            `SELECT consent_in_force($1, $2, 'PARTNER_SHARING', $3) AS granted`,
            'norwest',
            client.id,
            partnerId,
          );
          return row!.granted;
        });
      // Positive controls: the client's own site, and the partner the consent names.
      expect(await ask({ kind: 'STAFF', subject: 'norwest.link_worker.1', tenantId: 'norwest', roles: ['LINK_WORKER'] })).toBe(true);
      expect(await ask(teamcare)).toBe(true);
      // Another site's staff, a site role that reads no health information, another partner asking about teamcare.
      expect(await ask(guelphOfficer)).toBe(false);
      expect(await ask({ kind: 'STAFF', subject: 'norwest.site_admin.1', tenantId: 'norwest', roles: ['SITE_ADMIN'] })).toBe(false);
      expect(await ask({ kind: 'PARTNER', subject: 'rom.integration', partnerId: 'rom', scopes: ['referrals:read'] })).toBe(false);
      expect(await ask({ kind: 'NETWORK', subject: 'alliance.analyst', roles: ['ALLIANCE_ANALYST'] })).toBe(false);
    });
  });

  describe('lock-box', () => {
    it('holds SOCIODEMOGRAPHICS and CONTACT back from a partner, and says so', async () => {
      const referral = await owner().socialPrescription.findFirstOrThrow({
        where: { tenantId: 'norwest', referringPartnerId: 'teamcare', client: { locks: { none: {} } } },
        orderBy: { id: 'asc' },
      });
      await owner().client.update({ where: { id: referral.clientId }, data: { preferredLanguage: 'fr', phone: '705-555-0142' } });
      const consent = await graphql(
        server,
        gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { status } }'),
        { input: { clientId: encodeGlobalID('Client', referral.clientId), kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'GRANTED' } },
        await staff('norwest', 'LINK_WORKER'),
      );
      expect(consent.errors).toBeUndefined();
      const read = gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { client { givenName phone preferredLanguage } withheld } } }');
      const ask = async (correlationId: string) =>
        graphql(
          server,
          read,
          { id: encodeGlobalID('PartnerReferral', referral.id) },
          { ...(await partner('teamcare', 'referrals:read')), 'x-request-id': correlationId },
        );

      // Positive control: nothing locked, the partner reads what the client shares with it.
      const open = await ask('partner-unlocked');
      expect(open.errors).toBeUndefined();
      expect(open.data!.node).toMatchObject({ client: { phone: '705-555-0142', preferredLanguage: 'fr' }, withheld: [] });
      expect((await audit('partner-unlocked'))[0]!.categories).toEqual(expect.arrayContaining(['CONTACT', 'SOCIODEMOGRAPHICS']));

      await lock(referral.clientId, 'SOCIODEMOGRAPHICS', [], 'norwest');
      const language = await ask('partner-language-locked');
      expect(language.data!.node).toMatchObject({
        client: { givenName: expect.any(String), phone: '705-555-0142', preferredLanguage: null },
        withheld: ['SOCIODEMOGRAPHICS'],
      });
      expect(JSON.stringify(language)).not.toContain('"fr"');
      const [row] = await audit('partner-language-locked');
      expect(row!.categories).not.toContain('SOCIODEMOGRAPHICS');

      await lock(referral.clientId, 'CONTACT', [], 'norwest');
      const both = await ask('partner-both-locked');
      expect(both.data!.node).toMatchObject({ client: { phone: null, preferredLanguage: null }, withheld: ['CONTACT', 'SOCIODEMOGRAPHICS'] });
      expect((await audit('partner-both-locked'))[0]!.categories).not.toContain('CONTACT');
    });

    it('a locked ASSESSMENTS category is neither filterable nor countable by those it is withheld from', async () => {
      const client = await owner().client.findFirstOrThrow({
        where: { tenantId: 'guelph', locks: { none: {} }, assessments: { some: {} } },
        include: { assessments: true },
      });
      const { instrument, timePoint } = client.assessments[0]!;
      const expected = client.assessments.filter((a) => a.instrument === instrument && a.timePoint === timePoint).length;
      const query = gql(
        'query($client: ID, $instrument: Instrument, $timePoint: TimePoint) { outcomeAssessments(clientId: $client, instrument: $instrument, timePoint: $timePoint, first: 100) { edges { node { id score } } } }',
      );
      const filtered = { client: encodeGlobalID('Client', client.id), instrument, timePoint };
      const named = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: 'guelph.link_worker.2' });
      const other = await staff('guelph', 'LINK_WORKER');

      expect((await graphql(server, query, filtered, other)).data!.outcomeAssessments.edges).toHaveLength(expected);
      await lock(client.id, 'ASSESSMENTS', ['guelph.link_worker.2']);

      // Positive control: the staff member the client named still finds and reads them.
      const allowed = await graphql(server, query, filtered, named);
      expect(allowed.data!.outcomeAssessments.edges).toHaveLength(expected);
      expect(allowed.data!.outcomeAssessments.edges.every((e) => e.node.score !== null || instrument === 'ONS4')).toBe(true);
      // Anyone else: no rows, whatever the filter, and none of the client's in the unfiltered list.
      for (const args of [filtered, { client: filtered.client }, { client: filtered.client, instrument }]) {
        expect((await graphql(server, query, args, other)).data!.outcomeAssessments.edges).toEqual([]);
      }
      const mine = new Set(client.assessments.map((a) => a.id));
      const all = await graphql(server, query, {}, await staff('guelph', 'DATA_COORDINATOR'));
      expect(all.data!.outcomeAssessments.edges.length).toBeGreaterThan(0);
      expect(all.data!.outcomeAssessments.edges.filter((e) => mine.has(rawId(e.node.id)))).toEqual([]);
    });

    it('the same for UTILIZATION lists', async () => {
      const client = await owner().client.findFirstOrThrow({
        where: { tenantId: 'guelph', locks: { none: {} }, utilization: { some: {} } },
        include: { utilization: true },
      });
      const query = gql('query($client: ID) { utilizationRecords(clientId: $client, first: 100) { edges { node { id primaryCareVisits } } } }');
      const args = { client: encodeGlobalID('Client', client.id) };
      await lock(client.id, 'UTILIZATION', ['guelph.data_coordinator.1']);
      const allowed = await graphql(server, query, args, await staff('guelph', 'DATA_COORDINATOR'));
      expect(allowed.data!.utilizationRecords.edges).toHaveLength(client.utilization.length);
      expect(allowed.data!.utilizationRecords.edges[0]?.node.primaryCareVisits).not.toBeNull();
      expect((await graphql(server, query, args, await staff('guelph', 'LINK_WORKER'))).data!.utilizationRecords.edges).toEqual([]);
    });
  });

  describe('audit trail', () => {
    it('a search by name is a use of identity information about every client it matched', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { familyName: 'desc' } });
      const matched = await owner().client.findMany({
        where: {
          tenantId: 'guelph',
          OR: [
            { givenName: { contains: client.familyName, mode: 'insensitive' } },
            { familyName: { contains: client.familyName, mode: 'insensitive' } },
            { chartNumber: { startsWith: client.familyName, mode: 'insensitive' } },
          ],
        },
      });
      const headers = { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'search-by-name' };
      const result = await graphql(
        server,
        gql('query($q: String) { clients(search: $q, first: 100) { edges { node { id } } } }'),
        { q: client.familyName },
        headers,
      );
      expect(result.data!.clients.edges.map((e) => rawId(e.node.id))).toContain(client.id);
      const rows = await audit('search-by-name');
      expect(rows.map((r) => r.clientId).sort()).toEqual(matched.map((c) => c.id).sort());
      expect(rows.every((r) => r.action === 'READ' && r.categories.join() === 'IDENTITY' && r.actorSubject === 'guelph.link_worker.1')).toBe(true);
      // A list by page, not by identity, that selects no health information stays unaudited.
      await graphql(
        server,
        gql('{ clients(first: 5) { edges { node { id } } } }'),
        {},
        { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'list-ids' },
      );
      expect(await audit('list-ids')).toEqual([]);
    });

    it('reading withheld is audited: it tells what the client locked', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { chartNumber: 'asc' } });
      const headers = { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'read-withheld' };
      const result = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on Client { withheld } } }'),
        { id: encodeGlobalID('Client', client.id) },
        headers,
      );
      expect(result.errors).toBeUndefined();
      expect(await audit('read-withheld')).toEqual([expect.objectContaining({ clientId: client.id, action: 'READ', categories: ['CONSENT'] })]);
    });

    it('linking and unlinking a Health Champion’s client record is a write of it', async () => {
      const [first, second] = await owner().client.findMany({ where: { tenantId: 'guelph', healthChampions: { none: {} } }, take: 2, orderBy: { id: 'asc' } });
      const keeper = await staff('guelph', 'SITE_ADMIN', 'LINK_WORKER');
      const created = await graphql(
        server,
        gql('mutation($input: CreateHealthChampionInput!) { createHealthChampion(input: $input) { id displayName } }'),
        { input: { displayName: 'Audit Champion', clientId: encodeGlobalID('Client', first!.id) } },
        { ...keeper, 'x-request-id': 'champion-create' },
      );
      expect(created.errors).toBeUndefined();
      expect(await audit('champion-create')).toEqual([expect.objectContaining({ clientId: first!.id, action: 'WRITE', categories: ['IDENTITY'] })]);

      const update = gql('mutation($input: UpdateHealthChampionInput!) { updateHealthChampion(input: $input) { id } }');
      const id = created.data!.createHealthChampion.id;
      await graphql(server, update, await versioned(server, id, { clientId: encodeGlobalID('Client', second!.id) }), {
        ...keeper,
        'x-request-id': 'champion-relink',
      });
      expect((await audit('champion-relink')).map((r) => [r.clientId, r.action])).toEqual([
        [first!.id, 'WRITE'],
        [second!.id, 'WRITE'],
      ]);
      await graphql(server, update, await versioned(server, id, { clientId: null }), { ...keeper, 'x-request-id': 'champion-unlink' });
      expect(await audit('champion-unlink')).toEqual([expect.objectContaining({ clientId: second!.id, action: 'WRITE' })]);
      await graphql(server, update, await versioned(server, id, { gifts: ['listening'] }), { ...keeper, 'x-request-id': 'champion-gifts' });
      expect(await audit('champion-gifts')).toEqual([]);
    });

    it('updateClient logs the categories it wrote, not IDENTITY whatever changed', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { chartNumber: 'desc' } });
      const update = gql('mutation($input: UpdateClientInput!) { updateClient(input: $input) { id version } }');
      const headers = async (correlationId: string) => ({ ...(await staff('guelph', 'DATA_COORDINATOR')), 'x-request-id': correlationId });
      const id = encodeGlobalID('Client', client.id);
      expect(
        (await graphql(server, update, { input: { id, expectedVersion: client.version, phone: '519-555-0199' } }, await headers('update-phone'))).errors,
      ).toBeUndefined();
      expect(await audit('update-phone')).toEqual([expect.objectContaining({ action: 'WRITE', categories: ['CONTACT'] })]);
      const both = await graphql(
        server,
        update,
        { input: { id, expectedVersion: client.version + 1, ageBand: null, givenName: 'Renamed' } },
        await headers('update-two'),
      );
      expect(both.errors).toBeUndefined();
      expect(await audit('update-two')).toEqual([expect.objectContaining({ action: 'WRITE', categories: ['IDENTITY', 'SOCIODEMOGRAPHICS'] })]);
    });
  });

  describe('consent and lock-box are append-only for the request role', () => {
    const refused = (outcome: unknown) => expect(String(outcome)).toMatch(/permission denied/);

    it('consent decisions can be added, never changed or removed', async () => {
      refused(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`DELETE FROM "ClientConsent" WHERE "tenantId" = 'guelph'`)));
      refused(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`UPDATE "ClientConsent" SET status = 'GRANTED' WHERE "tenantId" = 'guelph'`)));
      // Positive control: the same role adds a decision.
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' } });
      const added = await asRequestRole(guelphOfficer, (tx) =>
        tx.$executeRawUnsafe(
          `INSERT INTO "ClientConsent" (id, "tenantId", "clientId", kind, status) VALUES (gen_random_uuid()::text, 'guelph', $1, 'EVALUATION_USE', 'GRANTED')`,
          client.id,
        ),
      );
      expect(added).toBe(1);
    });

    it('a lock can be released once, and nothing else about it changes', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph', locks: { none: {} } }, orderBy: { id: 'desc' } });
      const lockId = rawId(await lock(client.id, 'NOTES'));
      refused(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`DELETE FROM "ClientLock" WHERE id = $1`, lockId)));
      refused(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`UPDATE "ClientLock" SET category = 'CONTACT' WHERE id = $1`, lockId)));
      refused(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`UPDATE "ClientLock" SET "allowedStaffIds" = ARRAY['x'] WHERE id = $1`, lockId)));

      // Positive control: release through the API, as before.
      const release = gql('mutation($id: ID!) { releaseClientLock(lockId: $id) { releasedAt } }');
      const released = await graphql(server, release, { id: encodeGlobalID('ClientLock', lockId) }, await staff('guelph', 'PRIVACY_OFFICER'));
      expect(released.data!.releaseClientLock.releasedAt).toBeTruthy();
      // Once released it stays released: neither undone nor moved.
      expect(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`UPDATE "ClientLock" SET "releasedAt" = NULL WHERE id = $1`, lockId))).toBe(0);
      expect(await asRequestRole(guelphOfficer, (tx) => tx.$executeRawUnsafe(`UPDATE "ClientLock" SET "releasedAt" = now() WHERE id = $1`, lockId))).toBe(0);
      expect(codes(await graphql(server, release, { id: encodeGlobalID('ClientLock', lockId) }, await staff('guelph', 'PRIVACY_OFFICER')))).toEqual([
        'NOT_FOUND',
      ]);
      const row = await owner().clientLock.findUniqueOrThrow({ where: { id: lockId } });
      expect(row).toMatchObject({ category: 'NOTES', releasedAt: new Date(released.data!.releaseClientLock.releasedAt!) });
    });
  });

  describe('access log', () => {
    const byActor = gql(
      'query($actor: String, $from: DateTime) { accessLog(actorSubject: $actor, from: $from, action: READ, first: 100) { edges { node { clientId action categories actorSubject requestId correlationId } } } }',
    );

    it('lists everything one staff member opened over a period, and that reading is itself audited', async () => {
      const from = new Date(Date.now() - 1000).toISOString();
      const opened = await owner().client.findMany({ where: { tenantId: 'guelph' }, take: 2, orderBy: { familyName: 'asc' } });
      const prescriber = await bearer({ tenant: 'guelph', roles: ['PRESCRIBER'], subject: 'guelph.prescriber.3' });
      for (const client of opened) {
        const read = await graphql(
          server,
          gql('query($id: ID!) { node(id: $id) { ... on Client { givenName } } }'),
          { id: encodeGlobalID('Client', client.id) },
          { ...prescriber, 'x-request-id': `opened-${client.id}` },
        );
        expect(read.errors).toBeUndefined();
      }

      const officer = { ...(await staff('guelph', 'PRIVACY_OFFICER')), 'x-request-id': 'officer-reads-log' };
      const result = await graphql(server, byActor, { actor: 'guelph.prescriber.3', from }, officer);
      expect(result.errors).toBeUndefined();
      const entries = result.data!.accessLog.edges.map((e) => e.node);
      expect(entries.map((e) => rawId(e.clientId!)).sort()).toEqual(opened.map((c) => c.id).sort());
      for (const entry of entries) {
        expect(entry).toMatchObject({
          action: 'READ',
          categories: ['IDENTITY'],
          actorSubject: 'guelph.prescriber.3',
          correlationId: `opened-${rawId(entry.clientId!)}`,
        });
        expect(entry.requestId).not.toBe(entry.correlationId);
      }
      const logged = await audit('officer-reads-log');
      expect(logged.map((r) => r.clientId).sort()).toEqual(opened.map((c) => c.id).sort());
      expect(logged.every((r) => r.action === 'READ' && r.categories.join() === 'ACCESS_LOG' && r.actorSubject === 'guelph.privacy_officer.1')).toBe(true);
      expect(new Set(logged.map((r) => r.requestId))).toEqual(new Set([result.headers.get('x-request-id')]));
    });

    it('by client, an empty answer is audited too; nobody else lists by actor', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph', auditEvents: { none: {} } } });
      const headers = { ...(await staff('guelph', 'PRIVACY_OFFICER')), 'x-request-id': 'officer-reads-one' };
      const result = await graphql(
        server,
        gql('query($id: ID!) { accessLog(clientId: $id) { edges { node { action } } } }'),
        { id: encodeGlobalID('Client', client.id) },
        headers,
      );
      expect(result.data!.accessLog.edges).toEqual([]);
      expect(await audit('officer-reads-one')).toEqual([expect.objectContaining({ clientId: client.id, categories: ['ACCESS_LOG'] })]);

      expect(codes(await graphql(server, byActor, { actor: 'guelph.prescriber.3' }, await staff('guelph', 'LINK_WORKER')))).toEqual(['FORBIDDEN']);
      const elsewhere = await graphql(server, byActor, { actor: 'guelph.prescriber.3' }, await staff('norwest', 'PRIVACY_OFFICER'));
      expect(elsewhere.data!.accessLog.edges).toEqual([]);
    });
  });
});
