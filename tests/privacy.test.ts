// PHIPA duties over HTTP: every read and write of health information leaves an audit row in the
// same transaction; the trail is the privacy officer's alone; consent and the lock-box hold.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, ofType } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer, staff } from './support/tokens.js';

describe('privacy duties', () => {
  let server: TestServer;
  const audit = () => server.db.prisma.auditEvent;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('audit trail', () => {
    it('logs one subject per client read: a list of 50 clients logs 50', async () => {
      // The demo sites hold about 20 clients each at scale 1: top guelph up past 50.
      await server.db.prisma.client.createMany({
        data: Array.from({ length: 40 }, (_, i) => ({ tenantId: 'guelph', chartNumber: `AUDIT-${i}`, givenName: `Extra${i}`, familyName: 'Audited' })),
      });
      const before = await audit().count();
      const headers = { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'audit-list-50' };
      const result = await graphql(server, gql('query Roster { clients(first: 50) { edges { node { id givenName familyName } } } }'), {}, headers);
      expect(result.errors).toBeUndefined();
      const ids = result.data!.clients.edges.map((e) => Buffer.from(e.node.id, 'base64').toString().split(':')[1]);
      const rows = await audit().findMany({ where: { correlationId: 'audit-list-50' } });
      expect(rows).toHaveLength(ids.length);
      expect(ids.length).toBe(50);
      expect(new Set(rows.map((r) => r.clientId))).toEqual(new Set(ids));
      expect(rows[0]).toMatchObject({
        tenantId: 'guelph',
        action: 'READ',
        categories: ['IDENTITY'],
        actorSubject: 'guelph.link_worker.1',
        actorKind: 'STAFF',
        actorRoles: ['LINK_WORKER'],
        operationName: 'Roster',
      });
      expect(rows[0]!.documentHash).toMatch(/^[0-9a-f]{64}$/);
      // The caller's id is kept beside the server's own, never instead of it.
      expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set([result.headers.get('x-request-id')]));
      expect(rows[0]!.requestId).not.toBe('audit-list-50');
      expect(await audit().count()).toBe(before + 50);
    });

    it('names every category touched, once per client', async () => {
      const headers = { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'audit-categories' };
      await graphql(server, gql('{ clients(first: 3) { edges { node { givenName phone ageBand } } } }'), {}, headers);
      const rows = await audit().findMany({ where: { correlationId: 'audit-categories' } });
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.categories).toEqual(['CONTACT', 'IDENTITY', 'SOCIODEMOGRAPHICS']);
    });

    it('logs nothing for fields that identify no one', async () => {
      const headers = { ...(await staff('guelph', 'LINK_WORKER')), 'x-request-id': 'audit-ids-only' };
      await graphql(server, gql('{ clients(first: 5) { edges { node { id version } } } }'), {}, headers);
      expect(await audit().count({ where: { correlationId: 'audit-ids-only' } })).toBe(0);
    });

    it('logs a write, and a write that rolls back leaves no audit row', async () => {
      const headers = { ...(await staff('guelph', 'DATA_COORDINATOR')), 'x-request-id': 'audit-write' };
      const created = await graphql(
        server,
        gql('mutation { createClient(input: { chartNumber: "AUD-1", givenName: "Ada", familyName: "Audit" }) { id givenName } }'),
        {},
        headers,
      );
      expect(created.errors).toBeUndefined();
      const rows = await audit().findMany({ where: { correlationId: 'audit-write' }, orderBy: { action: 'asc' } });
      expect(rows.map((r) => r.action).sort()).toEqual(['READ', 'WRITE']);
      const failing = { ...(await staff('guelph', 'DATA_COORDINATOR')), 'x-request-id': 'audit-rollback' };
      const duplicate = await graphql(
        server,
        gql('mutation { createClient(input: { chartNumber: "AUD-1", givenName: "Ada", familyName: "Audit" }) { id givenName } }'),
        {},
        failing,
      );
      expect(codes(duplicate)).toEqual(['CONFLICT']);
      expect(await audit().count({ where: { correlationId: 'audit-rollback' } })).toBe(0);
    });

    it('returns no data when the audit row cannot be written', async () => {
      await server.db.prisma.$executeRawUnsafe('REVOKE INSERT ON "AuditEvent" FROM rx_app');
      try {
        const result = await graphql(server, gql('{ clients(first: 5) { edges { node { givenName } } } }'), {}, await staff('guelph', 'LINK_WORKER'));
        expect(result.data ?? null).toBeNull();
        expect(codes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(result.errors![0]!.extensions!.requestId).toBeTruthy();
      } finally {
        await server.db.prisma.$executeRawUnsafe('GRANT INSERT ON "AuditEvent" TO rx_app');
      }
    });
  });

  describe('access log', () => {
    const log = gql(
      'query($id: ID!, $actor: String) { accessLog(clientId: $id, actorSubject: $actor, first: 100) { edges { node { action categories actorSubject operationName requestId occurredAt } } } }',
    );

    it('shows the privacy officer who looked at a client, filterable by actor', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { familyName: 'asc' } });
      await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on Client { givenName } } }'),
        { id: encodeGlobalID('Client', client.id) },
        await bearer({ tenant: 'guelph', roles: ['PRESCRIBER'], subject: 'guelph.prescriber.2' }),
      );
      const officer = await staff('guelph', 'PRIVACY_OFFICER');
      const result = await graphql(server, log, { id: encodeGlobalID('Client', client.id), actor: 'guelph.prescriber.2' }, officer);
      expect(result.errors).toBeUndefined();
      expect(result.data!.accessLog.edges.length).toBeGreaterThanOrEqual(1);
      expect(result.data!.accessLog.edges.every((e) => e.node.actorSubject === 'guelph.prescriber.2')).toBe(true);
    });

    it('is nobody else’s to read, and holds nothing of another site', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' } });
      const id = encodeGlobalID('Client', client.id);
      for (const role of ['LINK_WORKER', 'PRESCRIBER', 'SITE_ADMIN', 'DATA_COORDINATOR']) {
        expect(codes(await graphql(server, log, { id }, await staff('guelph', role))), role).toEqual(['FORBIDDEN']);
      }
      expect(codes(await graphql(server, log, { id }, await staff('norwest', 'PRIVACY_OFFICER')))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, log, { id }, await bearer({ network: ['ALLIANCE_ADMIN'] })))).toEqual(['FORBIDDEN']);
    });
  });

  describe('lock-box', () => {
    it('withholds a locked category from all but the named staff, and says so', async () => {
      const owner = server.db.prisma;
      const client = await owner.client.findFirstOrThrow({ where: { tenantId: 'guelph', phone: { not: null }, locks: { none: {} } } });
      const allowed = await owner.staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.link_worker.2' } });
      const id = encodeGlobalID('Client', client.id);
      const lock = await graphql(
        server,
        gql('mutation($input: LockClientRecordInput!) { lockClientRecord(input: $input) { id category } }'),
        { input: { clientId: id, category: 'CONTACT', allowedStaffIds: [encodeGlobalID('StaffMember', allowed.id)] } },
        await staff('guelph', 'PRIVACY_OFFICER'),
      );
      expect(lock.errors).toBeUndefined();
      const read = gql('query($id: ID!) { node(id: $id) { __typename ... on Client { givenName phone email withheld } } }');
      const other = await graphql(server, read, { id }, await staff('guelph', 'LINK_WORKER'));
      expect(other.data!.node).toMatchObject({ givenName: client.givenName, phone: null, email: null, withheld: ['CONTACT'] });
      const named = await graphql(server, read, { id }, await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: 'guelph.link_worker.2' }));
      expect(named.data!.node).toMatchObject({ phone: client.phone, withheld: [] });

      const released = await graphql(
        server,
        gql('mutation($id: ID!) { releaseClientLock(lockId: $id) { releasedAt } }'),
        { id: lock.data!.lockClientRecord.id },
        await staff('guelph', 'PRIVACY_OFFICER'),
      );
      expect(released.data!.releaseClientLock.releasedAt).toBeTruthy();
      expect(ofType((await graphql(server, read, { id }, await staff('guelph', 'LINK_WORKER'))).data!.node, 'Client').phone).toBe(client.phone);
    });

    it('withholds a client’s notes on their prescriptions and history too', async () => {
      const owner = server.db.prisma;
      const prescription = await owner.socialPrescription.findFirstOrThrow({
        where: { tenantId: 'guelph', notes: { not: null }, client: { locks: { none: {} } } },
      });
      const lock = await graphql(
        server,
        gql('mutation($input: LockClientRecordInput!) { lockClientRecord(input: $input) { id } }'),
        { input: { clientId: encodeGlobalID('Client', prescription.clientId), category: 'NOTES' } },
        await staff('guelph', 'PRIVACY_OFFICER'),
      );
      expect(lock.errors).toBeUndefined();
      const read = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { __typename ... on SocialPrescription { status notes withheld events { kind note withheld } } } }'),
        { id: encodeGlobalID('SocialPrescription', prescription.id) },
        await staff('guelph', 'LINK_WORKER'),
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.node).toMatchObject({ status: prescription.status, notes: null, withheld: ['NOTES'] });
      expect(ofType(read.data!.node, 'SocialPrescription').events.every((e) => e.note === null && e.withheld.includes('NOTES'))).toBe(true);
    });

    it('only the privacy officer of the client’s own site sets a lock', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' } });
      const input = { clientId: encodeGlobalID('Client', client.id), category: 'NOTES' as const };
      const mutation = gql('mutation($input: LockClientRecordInput!) { lockClientRecord(input: $input) { id } }');
      expect(codes(await graphql(server, mutation, { input }, await staff('guelph', 'LINK_WORKER')))).toEqual(['FORBIDDEN']);
      const before = await server.db.prisma.clientLock.count();
      expect(codes(await graphql(server, mutation, { input }, await staff('norwest', 'PRIVACY_OFFICER')))).toEqual(['NOT_FOUND']);
      expect(await server.db.prisma.clientLock.count()).toBe(before);
    });
  });

  describe('consent', () => {
    it('records decisions as history, never overwriting them', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'norwest' } });
      const record = gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { kind status partner { slug } } }');
      const id = encodeGlobalID('Client', client.id);
      const headers = await staff('norwest', 'LINK_WORKER');
      const before = await server.db.prisma.clientConsent.count({ where: { clientId: client.id } });
      expect(
        (await graphql(server, record, { input: { clientId: id, kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'GRANTED' } }, headers)).errors,
      ).toBeUndefined();
      expect(
        (await graphql(server, record, { input: { clientId: id, kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'WITHDRAWN' } }, headers)).errors,
      ).toBeUndefined();
      expect(await server.db.prisma.clientConsent.count({ where: { clientId: client.id } })).toBe(before + 2);
      const history = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { __typename ... on Client { consents { kind status partner { slug } } } } }'),
        { id },
        headers,
      );
      expect(
        ofType(history.data!.node, 'Client')
          .consents.slice(0, 2)
          .map((c) => c.status),
      ).toEqual(['WITHDRAWN', 'GRANTED']);
    });

    it('a partner sees the client of its referral only while sharing consent is in force', async () => {
      const referral = await server.db.prisma.socialPrescription.findFirstOrThrow({
        where: { tenantId: 'norwest', referringPartnerId: 'teamcare' },
        include: { client: true },
      });
      const clientId = encodeGlobalID('Client', referral.clientId);
      const record = gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { status } }');
      const siteStaff = await staff('norwest', 'LINK_WORKER');
      const teamcare = { ...(await bearer({ partner: 'teamcare', scope: 'referrals:read' })) };
      const read = gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { status client { givenName familyName } withheld } } }');
      const id = encodeGlobalID('PartnerReferral', referral.id);

      await graphql(server, record, { input: { clientId, kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'GRANTED' } }, siteStaff);
      const shared = await graphql(server, read, { id }, { ...teamcare, 'x-request-id': 'partner-consented' });
      expect(shared.errors).toBeUndefined();
      expect(shared.data!.node).toMatchObject({ client: { givenName: referral.client.givenName, familyName: referral.client.familyName }, withheld: [] });
      const logged = await audit().findMany({ where: { correlationId: 'partner-consented' } });
      expect(logged).toEqual([
        expect.objectContaining({ tenantId: 'norwest', clientId: referral.clientId, actorKind: 'PARTNER', partnerId: 'teamcare', action: 'READ' }),
      ]);
      expect(logged[0]!.categories).toEqual(expect.arrayContaining(['IDENTITY', 'REFERRAL']));

      await graphql(server, record, { input: { clientId, kind: 'PARTNER_SHARING', partner: 'teamcare', status: 'WITHDRAWN' } }, siteStaff);
      const withdrawn = await graphql(server, read, { id }, teamcare);
      expect(withdrawn.data!.node).toMatchObject({ client: null, withheld: ['CLIENT_DETAILS'] });
      expect(JSON.stringify(withdrawn)).not.toContain(referral.client.givenName);
    });

    it('rejects a sharing consent without a partner, and another site’s client', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'norwest' } });
      const record = gql('mutation($input: RecordConsentInput!) { recordConsent(input: $input) { status } }');
      const input = { clientId: encodeGlobalID('Client', client.id), kind: 'PARTNER_SHARING' as const, status: 'GRANTED' as const };
      expect(codes(await graphql(server, record, { input }, await staff('norwest', 'LINK_WORKER')))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(server, record, { input: { ...input, partner: 'teamcare' } }, await staff('guelph', 'LINK_WORKER')))).toEqual(['NOT_FOUND']);
    });
  });
});
