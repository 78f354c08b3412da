// Attacker tests over the real HTTP server: every way client data can leave the API, tried from
// another site, a role without access, the Alliance, and partners in and out of scope.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, ofType, type ResultOf, type VariablesOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { network, partner, staff } from './support/tokens.js';

type Headers = Record<string, string>;

describe('tenant isolation', () => {
  let server: TestServer;
  let guelphLinkWorker: Headers;
  let guelphPrescriber: Headers;
  let norwestClientId: string;
  let norwestPrescriptionId: string;
  let norwestLinkWorkerId: string;
  let norwestProgramId: string;
  let guelphClientId: string;
  let guelphClientIds: Set<string>;

  const countRows = async () => ({
    clients: await server.db.prisma.client.count(),
    prescriptions: await server.db.prisma.socialPrescription.count(),
    events: await server.db.prisma.prescriptionEvent.count(),
    items: await server.db.prisma.prescriptionItem.count(),
  });

  beforeAll(async () => {
    server = await startTestServer();
    guelphLinkWorker = await staff('guelph', 'LINK_WORKER');
    guelphPrescriber = await staff('guelph', 'PRESCRIBER');
    const owner = server.db.prisma;
    norwestClientId = (await owner.client.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    norwestPrescriptionId = (await owner.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    norwestLinkWorkerId = (await owner.staffMember.findFirstOrThrow({ where: { tenantId: 'norwest', roles: { has: 'LINK_WORKER' } } })).id;
    norwestProgramId = (await owner.program.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    const guelphClients = await owner.client.findMany({ where: { tenantId: 'guelph' }, select: { id: true } });
    guelphClientIds = new Set(guelphClients.map((c) => c.id));
    guelphClientId = guelphClients[0]!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('lists', () => {
    it('give a site its own clients only, page after page', async () => {
      const seen: string[] = [];
      const clientsPage = gql('query($after: String) { clients(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }');
      let after: string | null | undefined = null;
      do {
        const result: GraphQLResponse<ResultOf<typeof clientsPage>> = await graphql(server, clientsPage, { after }, guelphLinkWorker);
        expect(result.errors).toBeUndefined();
        seen.push(...result.data!.clients.edges.map((e) => e.node.id));
        after = result.data!.clients.pageInfo.hasNextPage ? result.data!.clients.pageInfo.endCursor : null;
      } while (after);
      // Read now: other tests in this file add Guelph clients, in whatever order they run.
      const own = (await server.db.prisma.client.findMany({ where: { tenantId: 'guelph' }, select: { id: true } })).map((c) => c.id);
      expect(seen.map((id) => Buffer.from(id, 'base64').toString().split(':')[1]).sort()).toEqual(own.sort());
    });

    it('keep nested clients of prescriptions within the site', async () => {
      const result = await graphql(
        server,
        gql('{ socialPrescriptions(first: 100) { edges { node { client { id chartNumber } events { actorSubject } } } } }'),
        {},
        guelphLinkWorker,
      );
      expect(result.errors).toBeUndefined();
      const ids = result.data!.socialPrescriptions.edges.map((e) => Buffer.from(e.node.client.id, 'base64').toString().split(':')[1]!);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => guelphClientIds.has(id))).toBe(true);
    });

    it('find nothing of another site through search', async () => {
      const norwest = await server.db.prisma.client.findUniqueOrThrow({ where: { id: norwestClientId } });
      const search = gql('query($s: String) { clients(first: 10, search: $s) { edges { node { id } } } }');
      const result = await graphql(server, search, { s: norwest.chartNumber }, guelphLinkWorker);
      expect(result.errors).toBeUndefined();
      expect(result.data!.clients.edges).toEqual([]);
      const own = await graphql(server, search, { s: norwest.chartNumber }, await staff('norwest', 'LINK_WORKER'));
      expect(own.data!.clients.edges.map((e) => e.node.id)).toContain(encodeGlobalID('Client', norwestClientId));
    });
  });

  describe('node lookups', () => {
    it('return null for another site’s client and prescription, exactly like a nonexistent id', async () => {
      const query = gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }');
      const ids = [
        encodeGlobalID('Client', norwestClientId),
        encodeGlobalID('Client', '00000000-0000-4000-8000-000000000000'),
        encodeGlobalID('SocialPrescription', norwestPrescriptionId),
        encodeGlobalID('StaffMember', norwestLinkWorkerId),
        encodeGlobalID('Program', norwestProgramId),
      ];
      const result = await graphql(server, query, { ids }, guelphLinkWorker);
      expect(result).toMatchObject({ data: { nodes: [null, null, null, null, null] } });
      expect(result.errors).toBeUndefined();
      const single = await graphql(server, gql('query($id: ID!) { node(id: $id) { id } }'), { id: ids[0]! }, guelphLinkWorker);
      const missing = await graphql(server, gql('query($id: ID!) { node(id: $id) { id } }'), { id: ids[1]! }, guelphLinkWorker);
      expect(single.data).toEqual(missing.data);
      expect(single.errors).toEqual(missing.errors);
    });

    it('read the caller’s own site normally', async () => {
      const result = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { __typename ... on Client { chartNumber } } }'),
        { id: encodeGlobalID('Client', guelphClientId) },
        guelphLinkWorker,
      );
      expect(ofType(result.data!.node, 'Client').chartNumber).toBeTruthy();
    });

    it('read a malformed id as null, like one that does not exist, not as an error', async () => {
      const result = await graphql(server, gql('{ node(id: "not-a-global-id") { id } }'), {}, guelphLinkWorker);
      expect(codes(result)).toEqual([]);
      expect(result.data).toEqual({ node: null });
    });
  });

  describe('roles inside a site', () => {
    it.each(['HEALTH_CHAMPION', 'PROGRAM_COORDINATOR', 'SITE_ADMIN'])('%s reads no client health information', async (role) => {
      const headers = await staff('guelph', role);
      expect(codes(await graphql(server, gql('{ clients(first: 5) { edges { node { givenName } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, gql('{ socialPrescriptions(first: 5) { edges { node { notes } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      const lookUp = gql('query($id: ID!) { node(id: $id) { __typename ... on Client { givenName } } }');
      const node = await graphql(server, lookUp, { id: encodeGlobalID('Client', guelphClientId) }, headers);
      expect(codes(node).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(node.data!.node).toBeNull();
      const allowed = await graphql(server, lookUp, { id: encodeGlobalID('Client', guelphClientId) }, guelphLinkWorker);
      expect(ofType(allowed.data!.node, 'Client').givenName).toBeTruthy();
      expect(
        codes(await graphql(server, gql('mutation { createClient(input: { chartNumber: "X-1", givenName: "A", familyName: "B" }) { id } }'), {}, headers)),
      ).toEqual(['FORBIDDEN']);
    });

    it('a prescriber creates prescriptions and reads their status', async () => {
      const created = await graphql(
        server,
        gql(
          'mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { id status prescriber { displayName } events { kind toStatus } } }',
        ),
        { input: { clientId: encodeGlobalID('Client', guelphClientId), needs: ['SOCIAL_ISOLATION'], supportLevel: 'LIGHT' } },
        guelphPrescriber,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createSocialPrescription).toMatchObject({ status: 'REQUESTED', events: [{ kind: 'CREATED', toStatus: 'REQUESTED' }] });
      const read = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { __typename ... on SocialPrescription { status } } }'),
        { id: created.data!.createSocialPrescription.id },
        guelphPrescriber,
      );
      expect(ofType(read.data!.node, 'SocialPrescription').status).toBe('REQUESTED');
    });
  });

  describe('mutations given another site’s ids', () => {
    const create = gql('mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { id } }');
    const base = (): VariablesOf<typeof create>['input'] => ({ clientId: encodeGlobalID('Client', guelphClientId), needs: ['FOOD'], supportLevel: 'MEDIUM' });

    it.each([
      ['client', () => ({ ...base(), clientId: encodeGlobalID('Client', norwestClientId) })],
      ['link worker', () => ({ ...base(), linkWorkerId: encodeGlobalID('StaffMember', norwestLinkWorkerId) })],
      ['prescriber', () => ({ ...base(), prescriberId: encodeGlobalID('StaffMember', norwestLinkWorkerId) })],
      ['program', () => ({ ...base(), programIds: [encodeGlobalID('Program', norwestProgramId)] })],
    ])('answer NOT_FOUND for a %s and write nothing', async (_what, input) => {
      const before = await countRows();
      const result = await graphql(server, create, { input: input() }, guelphLinkWorker);
      expect(codes(result)).toEqual(['NOT_FOUND']);
      expect(result.data ?? null).toBeNull();
      expect(await countRows()).toEqual(before);
    });

    it('reject bad input with field-level BAD_USER_INPUT and write nothing', async () => {
      const before = await countRows();
      const result = await graphql(server, create, { input: { ...base(), needs: [] } }, guelphLinkWorker);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions).toMatchObject({ fields: [{ field: 'input.needs' }] });
      const wrongType = await graphql(server, create, { input: { ...base(), clientId: encodeGlobalID('Program', norwestProgramId) } }, guelphLinkWorker);
      expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
      expect(await countRows()).toEqual(before);
    });

    it('createClient always lands in the caller’s site', async () => {
      const result = await graphql(
        server,
        gql('mutation { createClient(input: { chartNumber: "ATTACK-1", givenName: "Test", familyName: "Person" }) { id } }'),
        {},
        await staff('guelph', 'DATA_COORDINATOR'),
      );
      expect(result.errors).toBeUndefined();
      const row = await server.db.prisma.client.findFirstOrThrow({ where: { chartNumber: 'ATTACK-1' } });
      expect(row.tenantId).toBe('guelph');
      const duplicate = await graphql(
        server,
        gql('mutation { createClient(input: { chartNumber: "ATTACK-1", givenName: "Test", familyName: "Person" }) { id } }'),
        {},
        await staff('guelph', 'DATA_COORDINATOR'),
      );
      expect(codes(duplicate)).toEqual(['CONFLICT']);
    });
  });

  describe('Alliance staff', () => {
    it.each(['ALLIANCE_ANALYST', 'ALLIANCE_ADMIN'])('%s sees no client row by any path', async (role) => {
      const headers = await network(role);
      expect(codes(await graphql(server, gql('{ clients(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, gql('{ socialPrescriptions(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      const nodes = await graphql(
        server,
        gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }'),
        { ids: [encodeGlobalID('Client', guelphClientId), encodeGlobalID('SocialPrescription', norwestPrescriptionId)] },
        headers,
      );
      expect(nodes.data!.nodes).toEqual([null, null]);
      expect(
        codes(await graphql(server, gql('mutation { createClient(input: { chartNumber: "N-1", givenName: "A", familyName: "B" }) { id } }'), {}, headers)),
      ).toEqual(['FORBIDDEN']);
    });
  });

  describe('partners', () => {
    const submit = gql('mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status site { slug } } }');
    let references = 0;
    const referral = (site: string): VariablesOf<typeof submit>['input'] => ({
      externalReference: `isolation-${process.pid}-${++references}`,
      site,
      client: { givenName: 'Pat', familyName: 'Referred', phone: '555-0100' },
      needs: ['SOCIAL_ISOLATION'],
      reason: 'lonely since spring',
    });

    it('TeamCare submits a referral into a partnered site and follows only its status', async () => {
      const teamcare = await partner('teamcare', 'referrals:create referrals:read programs:read');
      const created = await graphql(server, submit, { input: referral('norwest') }, teamcare);
      expect(created.errors).toBeUndefined();
      expect(created.data!.submitReferral).toMatchObject({ status: 'REQUESTED', site: { slug: 'norwest' } });
      const row = await server.db.prisma.socialPrescription.findUniqueOrThrow({
        where: { id: Buffer.from(created.data!.submitReferral.id, 'base64').toString().split(':')[1] },
      });
      expect(row).toMatchObject({ source: 'PARTNER', referringPartnerId: 'teamcare', tenantId: 'norwest' });

      const list = await graphql(
        server,
        gql('{ partnerReferrals(first: 100) { edges { node { id status outcome site { slug } statusHistory { fromStatus toStatus } } } } }'),
        {},
        teamcare,
      );
      expect(list.errors).toBeUndefined();
      const ids = list.data!.partnerReferrals.edges.map((e) => Buffer.from(e.node.id, 'base64').toString().split(':')[1]);
      const own = await server.db.prisma.socialPrescription.findMany({ where: { referringPartnerId: 'teamcare' }, select: { id: true } });
      expect(new Set(ids)).toEqual(new Set(own.map((r) => r.id)));
      expect(ids).toContain(row.id);
    });

    it('a partner cannot select notes or client fields of its referrals', async () => {
      const teamcare = await partner('teamcare', 'referrals:read');
      const result = await graphql(server, '{ partnerReferrals(first: 1) { edges { node { notes client { chartNumber dateOfBirth } } } } }', {}, teamcare);
      expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
      const row = await server.db.prisma.socialPrescription.findFirstOrThrow({ where: { referringPartnerId: 'teamcare' } });
      for (const id of [encodeGlobalID('SocialPrescription', row.id), encodeGlobalID('Client', row.clientId)]) {
        const node = await graphql(
          server,
          gql('query($id: ID!) { node(id: $id) { ... on SocialPrescription { notes } ... on Client { givenName } } }'),
          { id },
          teamcare,
        );
        expect(JSON.stringify(node.data ?? {})).not.toMatch(/givenName|notes":"/);
      }
    });

    it('refuses a site without a partnership, and scopes the token does not carry', async () => {
      const teamcare = await partner('teamcare', 'referrals:create referrals:read');
      const before = await countRows();
      expect(codes(await graphql(server, submit, { input: referral('guelph') }, teamcare))).toEqual(['FORBIDDEN']);
      const rom = await partner('rom', 'referrals:create referrals:read programs:read');
      expect(codes(await graphql(server, submit, { input: referral('norwest') }, rom))).toEqual(['FORBIDDEN']);
      const readOnly = await partner('teamcare', 'referrals:read');
      expect(codes(await graphql(server, submit, { input: referral('norwest') }, readOnly))).toEqual(['FORBIDDEN']);
      expect(await countRows()).toEqual(before);
      const createOnly = await partner('teamcare', 'referrals:create');
      expect(codes(await graphql(server, gql('{ partnerReferrals(first: 5) { edges { node { status } } } }'), {}, createOnly))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, gql('{ programs(first: 5) { edges { node { name } } } }'), {}, createOnly))).toEqual(['FORBIDDEN']);
    });

    it('a partner reaches no site data: clients, prescriptions, staff', async () => {
      const teamcare = await partner('teamcare', 'referrals:create referrals:read programs:read');
      for (const query of [
        '{ clients(first: 5) { edges { cursor } } }',
        '{ socialPrescriptions(first: 5) { edges { cursor } } }',
        '{ staffMembers(first: 5) { edges { cursor } } }',
      ]) {
        expect(codes(await graphql(server, query, {}, teamcare)), query).toEqual(['FORBIDDEN']);
      }
      expect(
        codes(
          await graphql(
            server,
            gql('mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { id } }'),
            { input: { clientId: encodeGlobalID('Client', norwestClientId), needs: ['FOOD'], supportLevel: 'LIGHT' } },
            teamcare,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    });

    it('programs:read gives the network’s programs and the partnered sites’ only', async () => {
      const teamcare = await partner('teamcare', 'programs:read');
      const result = await graphql(
        server,
        gql('{ programs(first: 100, activeOnly: false) { edges { node { id isNetworkProgram site { slug } } } } }'),
        {},
        teamcare,
      );
      expect(result.errors).toBeUndefined();
      const sites = new Set(result.data!.programs.edges.map((e) => e.node.site?.slug ?? 'network'));
      const partnered = await server.db.prisma.partnership.findMany({ where: { partnerId: 'teamcare', active: true, scopes: { has: 'PROGRAMS_READ' } } });
      expect([...sites].every((s) => s === 'network' || partnered.some((p) => p.tenantId === s))).toBe(true);
      expect(sites.has('guelph')).toBe(false);
    });
  });

  describe('errors', () => {
    it('never carry a stack trace or internal message', async () => {
      const result = await graphql(server, gql('{ clients(first: -1) { edges { cursor } } }'), {}, guelphLinkWorker);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
    });
  });
});
