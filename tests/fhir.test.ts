// The FHIR R4 facade over the real HTTP server: the partner cases of the isolation suite asked of
// GraphQL and of FHIR alike (nothing reachable over FHIR that GraphQL would not give), submission
// and cancellation through the same mutations, search, errors as OperationOutcome, and every
// resource produced checked against the FHIR R4 JSON schema and the SDOHCC Task statuses.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors, sdohccTaskStatuses } from './support/fhir-schema.js';
import { gql } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer, partner, staff } from './support/tokens.js';
import { principalSettingsSql } from '../src/db/principal-settings.js';
import type { PartnerScopeClaim } from '../src/auth/principal.js';
import { statusReasonSystem } from '../src/prescriptions/status-reasons.js';

type Headers = Record<string, string>;
type Resource = Record<string, any>;
type Bundle = { resourceType: 'Bundle'; total: number; link: { relation: string; url: string }[]; entry?: { fullUrl: string; resource: Resource }[] };

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

// In the order written (also under --sequence.shuffle): the validity check reads every resource the tests before it produced.
describe('FHIR R4 facade', { shuffle: false }, () => {
  let server: TestServer;
  let teamcare: Headers;
  const produced: Resource[] = [];

  const fhir = async (method: string, path: string, headers: Headers, body?: unknown, contentType = 'application/fhir+json') => {
    const response = await fetch(`${server.url}/fhir/r4${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Resource;
    if (json.resourceType === 'Bundle') for (const entry of (json as Bundle).entry ?? []) if (entry.resource) produced.push(entry.resource);
    produced.push(json);
    return { status: response.status, headers: response.headers, body: json };
  };
  const get = (path: string, headers: Headers) => fhir('GET', path, headers);
  /** Every id a search finds, page after page through the Bundle's next links. */
  const searchAll = async (path: string, headers: Headers) => {
    const ids: string[] = [];
    let url: string | undefined = path;
    while (url) {
      const page = await get(url, headers);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      ids.push(...((page.body as Bundle).entry ?? []).map((e) => e.resource.id as string));
      const next = (page.body as Bundle).link.find((l) => l.relation === 'next')?.url;
      url = next ? next.slice(next.indexOf('/fhir/r4') + '/fhir/r4'.length) : undefined;
    }
    return ids;
  };
  const graphqlReferralIds = async (headers: Headers) => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<
        ReturnType<typeof graphql<{ partnerReferrals: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } }>>
      > = await graphql(
        server,
        gql('query($after: String) { partnerReferrals(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }'),
        { after },
        headers,
      );
      if (page.errors) return { ids, codes: codes(page) };
      ids.push(...page.data!.partnerReferrals.edges.map((e) => localId(e.node.id)));
      if (!page.data!.partnerReferrals.pageInfo.hasNextPage) return { ids, codes: [] };
      after = page.data!.partnerReferrals.pageInfo.endCursor ?? null;
    }
  };

  const serviceRequest = (site: string, overrides: Resource = {}) => ({
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    contained: [
      {
        resourceType: 'Patient',
        id: 'p',
        name: [{ family: 'Referred', given: ['Fhir'] }],
        birthDate: '1950-04-02',
        telecom: [{ system: 'phone', value: '555-0199' }],
        communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] } }],
      },
    ],
    subject: { reference: '#p' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes', code: 'food-insecurity' }] }],
    code: { coding: [{ system: 'urn:rx-community:need', code: 'SOCIAL_ISOLATION' }] },
    performer: [{ identifier: { system: 'urn:rx-community:site', value: site } }],
    note: [{ text: 'lonely since the spring' }],
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestServer();
    teamcare = await partner('teamcare', 'referrals:create referrals:read programs:read');
  });
  afterAll(() => server?.stop());

  describe('who may call', () => {
    it('serves the CapabilityStatement without a token', async () => {
      const { status, headers, body } = await get('/metadata', {});
      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    });

    it('answers 401 without a valid token and 403 to site staff, as OperationOutcomes', async () => {
      for (const headers of [{}, { authorization: 'Bearer nope.nope.nope' }] as Headers[]) {
        const { status, body } = await get('/ServiceRequest', headers);
        expect(status).toBe(401);
        expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      }
      const { status, body } = await get('/ServiceRequest', await staff('norwest', 'LINK_WORKER'));
      expect(status).toBe(403);
      expect(body.issue[0].code).toBe('forbidden');
    });

    it('reading needs referrals:read, as over GraphQL', async () => {
      const createOnly = await partner('teamcare', 'referrals:create');
      expect((await graphqlReferralIds(createOnly)).codes).toEqual(['FORBIDDEN']);
      const { status, body } = await get('/ServiceRequest', createOnly);
      expect(status).toBe(403);
      expect(body.resourceType).toBe('OperationOutcome');
    });
  });

  describe('the partner cases of the isolation suite, on GraphQL and FHIR alike', () => {
    it('a partner finds exactly its own referrals on both surfaces (positive control: TeamCare has some)', async () => {
      const own = await server.db.prisma.socialPrescription.findMany({ where: { referringPartnerId: 'teamcare', source: 'PARTNER' }, select: { id: true } });
      expect(own.length).toBeGreaterThan(5);
      const viaGraphql = await graphqlReferralIds(teamcare);
      const viaServiceRequest = await searchAll('/ServiceRequest?_count=3', teamcare);
      const viaTask = await searchAll('/Task?_count=4', teamcare);
      expect(new Set(viaGraphql.ids)).toEqual(new Set(own.map((r) => r.id)));
      expect(new Set(viaServiceRequest)).toEqual(new Set(viaGraphql.ids));
      expect(viaServiceRequest).toHaveLength(viaGraphql.ids.length);
      expect(new Set(viaTask)).toEqual(new Set(viaGraphql.ids));
      // The same content: needs as categories, the status as the Task's.
      const details = await graphql(server, gql('{ partnerReferrals(first: 100) { edges { node { id needs status } } } }'), {}, teamcare);
      for (const { node } of details.data!.partnerReferrals.edges) {
        const id = localId(node.id);
        const request = (await get(`/ServiceRequest/${id}`, teamcare)).body;
        const needs = request.category.map((c: Resource) => c.coding.find((x: Resource) => x.system === 'urn:rx-community:need').code);
        expect(needs.sort()).toEqual([...node.needs].sort());
        expect((await get(`/Task/${id}`, teamcare)).body.status).toBe(node.status.toLowerCase().replaceAll('_', '-'));
      }
    });

    it('a partner without the partnership reaches nothing on either surface', async () => {
      const rom = await partner('rom', 'referrals:create referrals:read programs:read');
      expect((await graphqlReferralIds(rom)).ids).toEqual([]);
      expect(await searchAll('/ServiceRequest', rom)).toEqual([]);
      const teamcareReferral = await server.db.prisma.socialPrescription.findFirstOrThrow({ where: { referringPartnerId: 'teamcare' } });
      const node = await graphql(server, gql('query($id: ID!) { node(id: $id) { id } }'), { id: encodeGlobalID('PartnerReferral', teamcareReferral.id) }, rom);
      expect(node.data?.node ?? null).toBeNull();
      for (const type of ['ServiceRequest', 'Task', 'Patient']) {
        const { status, body } = await get(`/${type}/${teamcareReferral.id}`, rom);
        expect(status, type).toBe(404);
        expect(body.issue[0].code).toBe('not-found');
      }
      // Positive control: the same reads by TeamCare.
      for (const type of ['ServiceRequest', 'Task', 'Patient']) expect((await get(`/${type}/${teamcareReferral.id}`, teamcare)).status, type).toBe(200);
    });

    it('another partner’s referrals are not reachable', async () => {
      // 211 Ontario gets a partnership that lets it refer into norwest, and refers someone.
      await server.db.prisma.partnership.create({ data: { tenantId: 'norwest', partnerId: '211-ontario', scopes: ['REFERRALS_CREATE', 'REFERRALS_READ'] } });
      const two11 = await partner('211-ontario', 'referrals:create referrals:read');
      const created = await fhir('POST', '/ServiceRequest', two11, serviceRequest('norwest'));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id as string;
      expect(await searchAll('/ServiceRequest', two11)).toEqual([id]);
      expect((await graphqlReferralIds(two11)).ids).toEqual([id]);
      // TeamCare sees none of it.
      expect((await graphqlReferralIds(teamcare)).ids).not.toContain(id);
      expect(await searchAll('/ServiceRequest?_count=100', teamcare)).not.toContain(id);
      for (const type of ['ServiceRequest', 'Task', 'Patient']) expect((await get(`/${type}/${id}`, teamcare)).status, type).toBe(404);
      expect(
        (await fhir('PATCH', `/Task/${id}`, teamcare, [{ op: 'replace', path: '/status', value: 'cancelled' }], 'application/json-patch+json')).status,
      ).toBe(404);
      expect((await server.db.prisma.socialPrescription.findUniqueOrThrow({ where: { id } })).status).toBe('REQUESTED');
    });

    it('what the client was connected to: PartnerReferral.connectedTo and Task.output alike, own referrals only', async () => {
      const db = server.db.prisma;
      const program = await db.program.findFirstOrThrow({ where: { OR: [{ tenantId: 'norwest' }, { tenantId: null }] }, orderBy: { id: 'asc' } });
      const asset = await db.communityAsset.findFirstOrThrow({ where: { tenantId: 'norwest' }, orderBy: { id: 'asc' } });
      const connect = (prescriptionId: string) =>
        Promise.all(
          (
            [
              ['ENROLLED', { programId: program.id }],
              ['ATTENDED', { assetId: asset.id }],
              ['SUGGESTED', { programId: program.id }],
              ['STOPPED', { assetId: asset.id }],
            ] as const
          ).map(([status, what]) => db.prescriptionItem.create({ data: { tenantId: 'norwest', prescriptionId, status, note: 'client note', ...what } })),
        );
      /** What the database holds: the ENROLLED and ATTENDED items, oldest first. */
      const expected = async (prescriptionId: string) =>
        (
          await db.prescriptionItem.findMany({
            where: { prescriptionId, status: { in: ['ENROLLED', 'ATTENDED'] } },
            include: { program: true, asset: true },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          })
        ).map((i) => ({
          name: i.program?.name ?? i.asset!.name,
          kind: i.asset
            ? 'ASSET'
            : i.program!.runBy === 'PARTNER'
              ? 'PARTNER_PROGRAM'
              : i.program!.runBy === 'HEALTH_CHAMPION'
                ? 'HEALTH_CHAMPION_LED'
                : 'PROGRAM',
          categories: [...(i.program?.needs ?? i.asset!.categories)].sort(),
          status: i.status,
        }));
      const readGraphql = gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { connectedTo { name kind categories status } } } }');
      const viaGraphql = async (id: string, headers: Headers) =>
        (await graphql(server, readGraphql, { id: encodeGlobalID('PartnerReferral', id) }, headers)).data?.node as {
          connectedTo: { name: string; kind: string; categories: string[]; status: string }[];
        } | null;
      const viaTask = (task: Resource) =>
        ((task.output ?? []) as Resource[]).map((output) => {
          const service = (task.contained as Resource[]).find((r) => `#${r.id}` === output.valueReference.reference)!;
          expect(output.type.coding[0]).toMatchObject({ code: 'resulting-activity' });
          expect(output.valueReference.display).toBe(service.name);
          return {
            name: service.name as string,
            kind: service.type[0].coding[0].code as string,
            categories: ((service.category ?? []) as Resource[]).map((c) => c.coding.find((x: Resource) => x.system === 'urn:rx-community:need').code).sort(),
            status: output.extension.find((e: Resource) => e.url === 'urn:rx-community:fhir:item-status').valueCode as string,
          };
        });

      // Positive control: TeamCare's own referral shows its connections, the same on both surfaces.
      const own = await db.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest', referringPartnerId: 'teamcare', source: 'PARTNER' } });
      await connect(own.id);
      const want = await expected(own.id);
      expect(want.length).toBeGreaterThanOrEqual(2);
      const ownGraphql = (await viaGraphql(own.id, teamcare))!.connectedTo.map((s) => ({ ...s, categories: [...s.categories].sort() }));
      expect(ownGraphql).toEqual(want);
      const ownTask = await fhir('GET', `/Task/${own.id}`, { ...teamcare, 'x-request-id': 'fhir-task-output' });
      expect(ownTask.status).toBe(200);
      expect(viaTask(ownTask.body)).toEqual(want);
      expect(fhirSchemaErrors(ownTask.body)).toEqual([]);
      expect(JSON.stringify(ownTask.body)).not.toContain('client note');
      const found = (await get(`/Task?_count=100`, teamcare)).body as Bundle;
      expect(viaTask(found.entry!.find((e) => e.resource.id === own.id)!.resource)).toEqual(want);
      const audit = await db.auditEvent.findMany({ where: { correlationId: 'fhir-task-output' } });
      expect(audit).toEqual([expect.objectContaining({ clientId: own.clientId, partnerId: 'teamcare', categories: ['REFERRAL'] })]);

      // Another partner's referral at the same site, with connections of its own: TeamCare learns nothing of them.
      if (!(await db.partnership.findFirst({ where: { tenantId: 'norwest', partnerId: 'tso' } })))
        await db.partnership.create({ data: { tenantId: 'norwest', partnerId: 'tso', scopes: ['REFERRALS_CREATE', 'REFERRALS_READ'] } });
      const tso = await partner('tso', 'referrals:create referrals:read');
      const created = await fhir(
        'POST',
        '/ServiceRequest',
        tso,
        serviceRequest('norwest', { identifier: [{ system: 'urn:tso', value: `tso-${Date.now()}` }] }),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const theirs = created.body.id as string;
      await connect(theirs);
      expect(await viaGraphql(theirs, teamcare)).toBeNull();
      expect((await get(`/Task/${theirs}`, teamcare)).status).toBe(404);
      expect(((await get(`/Task?_count=100`, teamcare)).body as Bundle).entry!.map((e) => e.resource.id)).not.toContain(theirs);
      // Positive control: their own partner reads them, on both surfaces.
      const theirsWant = await expected(theirs);
      expect(theirsWant).toHaveLength(2);
      expect((await viaGraphql(theirs, tso))!.connectedTo.map((s) => ({ ...s, categories: [...s.categories].sort() }))).toEqual(theirsWant);
      expect(viaTask((await get(`/Task/${theirs}`, tso)).body)).toEqual(theirsWant);

      // The SQL function checks for itself what partner_select checks: asked directly for ids, as another
      // partner, without referrals:read, or without an active partnership, it returns nothing.
      const asPartner = (partnerId: string, scopes: PartnerScopeClaim[], ids: string[]) =>
        db.$transaction(async (tx) => {
          const [sql, ...params] = principalSettingsSql({ kind: 'PARTNER', subject: `${partnerId}.test`, partnerId, scopes });
          await tx.$executeRawUnsafe(sql, ...params);
          return tx.$queryRaw<{ name: string }[]>`SELECT name FROM partner_referral_connections(${ids}::text[])`;
        });
      expect(await asPartner('teamcare', ['referrals:read'], [theirs])).toEqual([]);
      expect(await asPartner('tso', ['referrals:read'], [own.id])).toEqual([]);
      expect(await asPartner('rom', ['referrals:read'], [own.id, theirs])).toEqual([]);
      expect(await asPartner('tso', ['referrals:create'], [theirs])).toEqual([]);
      expect(await asPartner('tso', ['referrals:read'], [theirs])).toHaveLength(2);
      await db.partnership.updateMany({ where: { tenantId: 'norwest', partnerId: 'tso' }, data: { active: false } });
      try {
        expect(await asPartner('tso', ['referrals:read'], [theirs])).toEqual([]);
      } finally {
        await db.partnership.updateMany({ where: { tenantId: 'norwest', partnerId: 'tso' }, data: { active: true } });
      }
      expect(await asPartner('teamcare', ['referrals:read'], [own.id])).toHaveLength(want.length);
    });

    it('a site’s clients not referred by the partner are not reachable', async () => {
      const siteMade = await server.db.prisma.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest', source: 'SITE' } });
      const node = await graphql(server, gql('query($id: ID!) { node(id: $id) { id } }'), { id: encodeGlobalID('PartnerReferral', siteMade.id) }, teamcare);
      expect(node.data?.node ?? null).toBeNull();
      for (const id of [siteMade.id, siteMade.clientId, 'no-such-id', '../ServiceRequest']) {
        for (const type of ['ServiceRequest', 'Task', 'Patient'])
          expect((await get(`/${type}/${encodeURIComponent(id)}`, teamcare)).status, `${type}/${id}`).toBe(404);
      }
    });

    it('client details only under consent: the Patient carries what PartnerReferral.client does, audited', async () => {
      const referral = await server.db.prisma.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest', referringPartnerId: 'teamcare' } });
      const readGraphql = gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { client { givenName familyName phone } withheld } } }');
      const id = encodeGlobalID('PartnerReferral', referral.id);
      const consent = (status: 'GRANTED' | 'WITHDRAWN') =>
        server.db.prisma.clientConsent.create({
          data: { tenantId: 'norwest', clientId: referral.clientId, kind: 'PARTNER_SHARING', partnerId: 'teamcare', status },
        });
      await consent('WITHDRAWN');
      const withheld = await get(`/Patient/${referral.id}`, teamcare);
      expect(withheld.status).toBe(200);
      expect(withheld.body.name).toBeUndefined();
      expect(withheld.body.telecom).toBeUndefined();
      expect(withheld.body.meta.security[0].code).toBe('REDACTED');
      expect(withheld.body.meta.tag).toEqual([{ system: 'urn:rx-community:withheld', code: 'CLIENT_DETAILS' }]);
      const graphqlWithheld = await graphql(server, readGraphql, { id }, teamcare);
      expect(graphqlWithheld.data!.node).toMatchObject({ client: null, withheld: ['CLIENT_DETAILS'] });

      // Positive control: with consent, both surfaces give the same names.
      await consent('GRANTED');
      const client = await server.db.prisma.client.findUniqueOrThrow({ where: { id: referral.clientId } });
      const shared = await fhir('GET', `/Patient/${referral.id}`, { ...teamcare, 'x-request-id': 'fhir-patient-consented' });
      expect(shared.body.name).toEqual([{ family: client.familyName, given: [client.givenName] }]);
      const graphqlShared = await graphql(server, readGraphql, { id }, teamcare);
      expect(graphqlShared.data!.node).toMatchObject({ client: { givenName: client.givenName, familyName: client.familyName } });
      const audit = await server.db.prisma.auditEvent.findMany({ where: { correlationId: 'fhir-patient-consented' } });
      expect(audit).toEqual([
        expect.objectContaining({
          clientId: referral.clientId,
          action: 'READ',
          actorKind: 'PARTNER',
          partnerId: 'teamcare',
          operationName: 'FHIR read Patient',
          categories: expect.arrayContaining(['IDENTITY', 'CONSENT', 'REFERRAL']),
        }),
      ]);
    });
  });

  describe('submitting and cancelling', () => {
    it('POST ServiceRequest submits through submitReferral: 201, Location, the same rows and audit as GraphQL', async () => {
      const before = await server.db.prisma.socialPrescription.count({ where: { referringPartnerId: 'teamcare' } });
      const created = await fhir('POST', '/ServiceRequest', { ...teamcare, 'x-request-id': 'fhir-submit' }, serviceRequest('norwest'));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.get('location')).toMatch(new RegExp(`/fhir/r4/ServiceRequest/${created.body.id}$`));
      expect(created.body).toMatchObject({ resourceType: 'ServiceRequest', status: 'active', subject: { reference: `Patient/${created.body.id}` } });
      const row = await server.db.prisma.socialPrescription.findUniqueOrThrow({ where: { id: created.body.id }, include: { client: true } });
      expect(row).toMatchObject({
        source: 'PARTNER',
        referringPartnerId: 'teamcare',
        tenantId: 'norwest',
        status: 'REQUESTED',
        notes: 'lonely since the spring',
      });
      expect(row.needs.sort()).toEqual(['FOOD', 'SOCIAL_ISOLATION']);
      expect(row.client).toMatchObject({ givenName: 'Fhir', familyName: 'Referred', phone: '555-0199', preferredLanguage: 'en' });
      expect(await server.db.prisma.socialPrescription.count({ where: { referringPartnerId: 'teamcare' } })).toBe(before + 1);
      const audit = await server.db.prisma.auditEvent.findMany({ where: { correlationId: 'fhir-submit' } });
      // Beside the write: reading back the referral made, and comparing with the site's clients (matching), are reads.
      expect(audit.filter((a) => a.action === 'WRITE')).toEqual([
        expect.objectContaining({ action: 'WRITE', clientId: row.clientId, operationName: 'FHIR create ServiceRequest' }),
      ]);
      const task = await get(`/Task/${created.body.id}`, teamcare);
      expect(task.body).toMatchObject({ status: 'requested', focus: { reference: `ServiceRequest/${created.body.id}` } });
    });

    it('resubmitting under the same identifier returns the same referral; another payload under it conflicts', async () => {
      const identifier = [{ system: 'urn:teamcare:referral', value: `fhir-idem-${Date.now()}` }];
      const count = () => server.db.prisma.socialPrescription.count({ where: { referringPartnerId: 'teamcare' } });
      const first = await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('norwest', { identifier }));
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.identifier).toEqual([{ value: identifier[0]!.value }]);
      const found = await get(`/ServiceRequest?identifier=${encodeURIComponent(`urn:teamcare:referral|${identifier[0]!.value}`)}`, teamcare);
      expect(found.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([first.body.id]);
      expect((await get(`/Task?identifier=${encodeURIComponent(identifier[0]!.value)}`, teamcare)).body.entry[0].resource.identifier).toEqual(
        first.body.identifier,
      );
      expect(
        (await get(`/ServiceRequest?identifier=${encodeURIComponent(identifier[0]!.value)}`, await partner('tso', 'referrals:create referrals:read'))).body
          .total,
      ).toBe(0);
      const before = await count();
      const again = await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('norwest', { identifier }));
      expect([200, 201]).toContain(again.status);
      expect(again.body.id).toBe(first.body.id);
      expect(await count()).toBe(before);
      const changed = await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('norwest', { identifier, note: [{ text: 'another reason' }] }));
      expect(changed.status).toBe(409);
      expect(changed.body.issue[0].code).toBe('conflict');
      expect(await count()).toBe(before);
    });

    it('a transaction Bundle of Patient, ServiceRequest and Task submits one referral', async () => {
      const { contained, ...request } = serviceRequest('norwest', { subject: { reference: 'urn:uuid:0b0c6f1e-8d8e-4b43-9d7c-8b9f0c2e1a11' } });
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:0b0c6f1e-8d8e-4b43-9d7c-8b9f0c2e1a11',
            resource: { ...contained[0], id: undefined },
            request: { method: 'POST', url: 'Patient' },
          },
          { fullUrl: 'urn:uuid:5f0b9e0c-1d2f-4c4b-8f6e-0a1b2c3d4e5f', resource: request, request: { method: 'POST', url: 'ServiceRequest' } },
          {
            fullUrl: 'urn:uuid:7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
            resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: { reference: 'urn:uuid:5f0b9e0c-1d2f-4c4b-8f6e-0a1b2c3d4e5f' } },
            request: { method: 'POST', url: 'Task' },
          },
        ],
      };
      const { status, body } = await fhir('POST', '', teamcare, bundle);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.type).toBe('transaction-response');
      const locations = body.entry.map((e: Resource) => e.response.location as string);
      const id = locations[1].split('/')[1];
      expect(locations).toEqual([`Patient/${id}`, `ServiceRequest/${id}`, `Task/${id}`]);
      expect((await get(`/ServiceRequest/${id}`, teamcare)).status).toBe(200);
    });

    it('refuses a site without a partnership, a token without referrals:create and bad input, writing nothing', async () => {
      const count = () => server.db.prisma.socialPrescription.count();
      const before = await count();
      expect((await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('guelph'))).status).toBe(403);
      expect((await fhir('POST', '/ServiceRequest', await partner('rom', 'referrals:create'), serviceRequest('norwest'))).status).toBe(403);
      expect((await fhir('POST', '/ServiceRequest', await partner('teamcare', 'referrals:read'), serviceRequest('norwest'))).status).toBe(403);
      const bad = await fhir(
        'POST',
        '/ServiceRequest',
        teamcare,
        serviceRequest('norwest', { category: [], code: undefined, subject: { reference: '#nobody' } }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.issue[0]).toMatchObject({ code: 'invalid' });
      expect(bad.body.issue[0].diagnostics).toMatch(/category.*subject/s);
      const notJson = await fetch(`${server.url}/fhir/r4/ServiceRequest`, {
        method: 'POST',
        headers: { ...teamcare, 'content-type': 'application/fhir+json' },
        body: '{',
      });
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as Resource).resourceType).toBe('OperationOutcome');
      expect(await count()).toBe(before);
    });

    it('PATCH or PUT Task cancels through cancelReferral; a second cancel conflicts; other changes are refused', async () => {
      const { body: created } = await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('norwest'));
      const patch = [
        { op: 'replace', path: '/status', value: 'cancelled' },
        { op: 'add', path: '/statusReason', value: { coding: [{ system: statusReasonSystem, code: 'client-declined' }], text: 'client moved away' } },
      ];
      const refused = await fhir(
        'PATCH',
        `/Task/${created.id}`,
        teamcare,
        [{ op: 'replace', path: '/status', value: 'completed' }],
        'application/json-patch+json',
      );
      expect(refused.status).toBe(422);
      const cancelled = await fhir('PATCH', `/Task/${created.id}`, teamcare, patch, 'application/json-patch+json');
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      expect(cancelled.body).toMatchObject({ resourceType: 'Task', status: 'cancelled' });
      const read = (await get(`/Task/${created.id}`, teamcare)).body;
      expect(read.statusReason).toEqual({ coding: [{ system: statusReasonSystem, code: 'client-declined', display: 'Client declined' }] });
      expect(fhirSchemaErrors(read)).toEqual([]);
      const graphqlStatus = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { status } } }'),
        { id: encodeGlobalID('PartnerReferral', created.id) },
        teamcare,
      );
      expect(graphqlStatus.data!.node).toMatchObject({ status: 'CANCELLED' });
      expect((await get(`/ServiceRequest/${created.id}`, teamcare)).body.status).toBe('revoked');
      const again = await fhir('PATCH', `/Task/${created.id}`, teamcare, patch, 'application/json-patch+json');
      expect(again.status).toBe(409);
      expect(again.body.issue[0].code).toBe('business-rule');

      const { body: second } = await fhir('POST', '/ServiceRequest', teamcare, serviceRequest('norwest'));
      const task = (await get(`/Task/${second.id}`, teamcare)).body;
      const put = await fhir('PUT', `/Task/${second.id}`, teamcare, { ...task, status: 'cancelled', statusReason: { text: 'duplicate' } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.status).toBe('cancelled');
      expect((await fhir('PUT', `/ServiceRequest/${second.id}`, teamcare, {})).status).toBe(405);
    });
  });

  describe('search', () => {
    it('by status, with the resource’s own codes', async () => {
      const rows = await server.db.prisma.socialPrescription.findMany({ where: { referringPartnerId: 'teamcare' }, select: { id: true, status: true } });
      const completed = rows.filter((r) => r.status === 'COMPLETED').map((r) => r.id);
      expect(completed.length).toBeGreaterThan(0);
      expect(new Set(await searchAll('/Task?status=completed&_count=100', teamcare))).toEqual(new Set(completed));
      const open = rows.filter((r) => ['REQUESTED', 'ACCEPTED', 'IN_PROGRESS'].includes(r.status)).map((r) => r.id);
      expect(new Set(await searchAll('/ServiceRequest?status=active&_count=100', teamcare))).toEqual(new Set(open));
      const either = rows.filter((r) => ['COMPLETED', 'FAILED'].includes(r.status)).map((r) => r.id);
      expect(new Set(await searchAll('/Task?status=completed,failed&_count=100', teamcare))).toEqual(new Set(either));
      expect((await get('/Task?status=finished', teamcare)).status).toBe(400);
    });

    it('by _lastUpdated, with prefixes, pages linked by next', async () => {
      const rows = await server.db.prisma.socialPrescription.findMany({
        where: { referringPartnerId: 'teamcare' },
        select: { id: true, updatedAt: true },
        orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      });
      const middle = rows[Math.floor(rows.length / 2)]!.updatedAt;
      const instant = middle.toISOString();
      const after = rows.filter((r) => r.updatedAt.getTime() >= middle.getTime()).map((r) => r.id);
      const page = await get(`/ServiceRequest?_lastUpdated=ge${encodeURIComponent(instant)}&_count=5`, teamcare);
      expect((page.body as Bundle).total).toBe(after.length);
      expect(await searchAll(`/ServiceRequest?_lastUpdated=ge${encodeURIComponent(instant)}&_count=5`, teamcare)).toEqual(after);
      const before = rows.filter((r) => r.updatedAt.getTime() < middle.getTime()).map((r) => r.id);
      expect(await searchAll(`/Task?_lastUpdated=lt${encodeURIComponent(instant)}&_count=100`, teamcare)).toEqual(before);
      expect(await searchAll('/Task?_lastUpdated=gt2999-01-01', teamcare)).toEqual([]);
      expect((await get('/Task?_lastUpdated=yesterday', teamcare)).status).toBe(400);
      expect((await get('/Task?subject=Patient/1', teamcare)).status).toBe(400);
    });
  });

  describe('validity', () => {
    it('every resource produced is valid against the FHIR R4 JSON schema; Task statuses are SDOHCC’s', { timeout: 120_000 }, async () => {
      // The searches above produced Bundles of every status in the demo data; add a few of each type.
      const own = await server.db.prisma.socialPrescription.findMany({ where: { referringPartnerId: 'teamcare' }, select: { id: true }, take: 3 });
      for (const { id } of own) for (const type of ['ServiceRequest', 'Task', 'Patient']) await get(`/${type}/${id}`, teamcare);
      await get('/metadata', {});
      await get('/Task/unknown', teamcare);
      const types = new Set(produced.map((r) => r.resourceType));
      expect([...types].sort()).toEqual(['Bundle', 'CapabilityStatement', 'OperationOutcome', 'Patient', 'ServiceRequest', 'Task']);
      // Each distinct resource once, and a Bundle without its entries' resources: each of those is checked against its own type
      // (ajv tries a Bundle's entry against all 145 resource types of the schema's oneOf, at about 10 ms each).
      const distinct = new Map<string, Resource>();
      for (const resource of produced) {
        const checked =
          resource.resourceType === 'Bundle' ? { ...resource, entry: (resource as Bundle).entry?.map(({ resource: _, ...entry }) => entry) } : resource;
        distinct.set(JSON.stringify(checked), checked);
      }
      const problems = [...distinct.values()].flatMap((resource) => fhirSchemaErrors(resource));
      expect(problems).toEqual([]);
      const statuses = new Set(produced.filter((r) => r.resourceType === 'Task').map((r) => r.status as string));
      expect(statuses.size).toBeGreaterThan(3);
      for (const status of statuses) expect(sdohccTaskStatuses).toContain(status);
    });
  });

  it('charges each request to the partner’s rate limits', async () => {
    const limited = await startTestServer({ RATE_LIMIT_PARTNER: '120' });
    try {
      const headers = await bearer({ partner: 'teamcare', scope: 'referrals:read' });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.url}/fhir/r4/Task?_count=1`, { headers })).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await limited.stop();
    }
  });
});
