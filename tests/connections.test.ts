// Every connection: one named type per node type, a totalCount that is the real number of rows the
// caller may see (row-level security, the page's own filters), counted only when asked for and
// priced once per connection; a page size above the maximum answers BAD_USER_INPUT naming it.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, isObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPrice } from '../src/graphql/cost.js';
import { schema } from '../src/graphql/schema.js';
import { admitOperation } from '../src/server/limits.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { network, partner, staff } from './support/tokens.js';

/** Every root connection, the role that may read it, and the rows it lists as the database owner sees them. */
const roots: { field: string; role: string; rows: (server: TestServer, tenant: string) => Promise<number>; differs?: boolean }[] = [
  {
    field: 'socialPrescriptions',
    role: 'LINK_WORKER',
    rows: (s, tenantId) => s.db.prisma.socialPrescription.count({ where: { tenantId } }),
    differs: true,
  },
  { field: 'clients', role: 'DATA_COORDINATOR', rows: (s, tenantId) => s.db.prisma.client.count({ where: { tenantId } }), differs: true },
  { field: 'staffMembers', role: 'LINK_WORKER', rows: (s, tenantId) => s.db.prisma.staffMember.count({ where: { tenantId } }) },
  {
    field: 'programs',
    role: 'LINK_WORKER',
    rows: (s, tenantId) => s.db.prisma.program.count({ where: { active: true, OR: [{ tenantId }, { tenantId: null }] } }),
  },
  { field: 'healthChampions', role: 'PROGRAM_COORDINATOR', rows: (s, tenantId) => s.db.prisma.healthChampion.count({ where: { tenantId, active: true } }) },
  {
    field: 'utilizationRecords',
    role: 'DATA_COORDINATOR',
    rows: (s, tenantId) => s.db.prisma.utilizationRecord.count({ where: { tenantId } }),
    differs: true,
  },
  { field: 'readinessAssessments', role: 'SITE_ADMIN', rows: (s, tenantId) => s.db.prisma.readinessAssessment.count({ where: { tenantId } }) },
  { field: 'partnerships', role: 'SITE_ADMIN', rows: (s, tenantId) => s.db.prisma.partnership.count({ where: { tenantId } }) },
];

describe('connections', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('one named connection type per node type', () => {
    it('every field listing a node type returns the same <Type>Connection, with <Type>Edge and totalCount', () => {
      const byNode = new Map<string, Set<string>>();
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields())) {
          const returned = getNamedType(field.type);
          if (!isObjectType(returned) || !returned.name.endsWith('Connection')) continue;
          const edge = getNamedType(returned.getFields().edges!.type);
          const node = getNamedType((edge as typeof returned).getFields().node!.type).name;
          byNode.set(node, (byNode.get(node) ?? new Set()).add(returned.name));
          expect(returned.name, `${type.name}.${field.name}`).toBe(`${node}Connection`);
          expect(edge.name).toBe(`${node}Edge`);
          expect(returned.getFields().totalCount, `${returned.name}.totalCount`).toBeDefined();
        }
      }
      expect(byNode.get('OutcomeAssessment')).toEqual(new Set(['OutcomeAssessmentConnection']));
      expect(byNode.get('SocialPrescription')).toEqual(new Set(['SocialPrescriptionConnection']));
      for (const [node, types] of byNode) expect([...types], node).toHaveLength(1);
    });
  });

  describe('totalCount', () => {
    it.each(roots)('$field: the number of rows the site may see, at each site', async ({ field, role, rows, differs }) => {
      const totals: Record<string, number> = {};
      for (const tenant of ['guelph', 'norwest']) {
        const headers = await staff(tenant, role);
        const result = await graphql(server, `{ ${field}(first: 1) { totalCount edges { node { id } } } }`, {}, headers);
        expect(result.errors).toBeUndefined();
        totals[tenant] = result.data[field].totalCount;
        // Read after the request: a staff member's first request may make their own staff record.
        expect(totals[tenant], `${tenant} ${field}`).toBe(await rows(server, tenant));
      }
      expect(totals.guelph).toBeGreaterThan(0);
      expect(totals.norwest).toBeGreaterThan(0);
      if (differs) expect(totals.guelph).not.toBe(totals.norwest);
    });

    it('follows the page’s filters and equals the rows counted by walking every page', async () => {
      const headers = await staff('guelph', 'LINK_WORKER');
      const filtered = await graphql(server, gql('{ socialPrescriptions(first: 1, status: [COMPLETED]) { totalCount } }'), {}, headers);
      expect(filtered.data?.socialPrescriptions.totalCount).toBe(
        await server.db.prisma.socialPrescription.count({ where: { tenantId: 'guelph', status: 'COMPLETED' } }),
      );
      let walked = 0;
      let after: string | null = null;
      let total = 0;
      do {
        const page: any = await graphql(
          server,
          'query($after: String) { socialPrescriptions(first: 100, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
          { after },
          headers,
        );
        total = page.data.socialPrescriptions.totalCount;
        walked += page.data.socialPrescriptions.edges.length;
        after = page.data.socialPrescriptions.pageInfo.hasNextPage ? page.data.socialPrescriptions.pageInfo.endCursor : null;
      } while (after);
      expect(walked).toBe(total);
    });

    it('answers a count alone, without a page', async () => {
      const result = await graphql(server, gql('{ clients { totalCount } }'), {}, await staff('guelph', 'LINK_WORKER'));
      expect(result.errors).toBeUndefined();
      expect(result.data?.clients.totalCount).toBe(await server.db.prisma.client.count({ where: { tenantId: 'guelph' } }));
    });

    it('counts a partner’s own referrals and the network’s partner organizations', async () => {
      const referrals = await graphql(server, gql('{ partnerReferrals(first: 1) { totalCount } }'), {}, await partner('teamcare', 'referrals:read'));
      expect(referrals.errors).toBeUndefined();
      const own = await server.db.prisma.socialPrescription.count({ where: { source: 'PARTNER', referringPartnerId: 'teamcare' } });
      expect(own).toBeGreaterThan(0);
      expect(referrals.data?.partnerReferrals.totalCount).toBe(own);
      const partners = await graphql(server, gql('{ partnerOrganizations(first: 1) { totalCount } }'), {}, await network('ALLIANCE_ANALYST'));
      expect(partners.data?.partnerOrganizations.totalCount).toBe(await server.db.prisma.partnerOrganization.count());
    });

    it('counts the access log of one client, for the privacy officer of its site only', async () => {
      const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { id: 'asc' } });
      const query = 'query($c: ID) { accessLog(first: 1, clientId: $c) { totalCount } }';
      const variables = { c: encodeGlobalID('Client', client.id) };
      const headers = await staff('guelph', 'PRIVACY_OFFICER');
      // Reading a client's access log is itself logged: the first read leaves an entry for the second to count.
      await graphql(server, query, variables, headers);
      const logged = await server.db.prisma.auditEvent.count({ where: { clientId: client.id } });
      expect(logged).toBeGreaterThan(0);
      const officer = await graphql(server, query, variables, headers);
      expect(officer.errors).toBeUndefined();
      expect(officer.data.accessLog.totalCount).toBe(logged);
      const elsewhere = await graphql(server, query, variables, await staff('norwest', 'PRIVACY_OFFICER'));
      expect(codes(elsewhere)).toEqual(['NOT_FOUND']);
    });

    it('counts nested connections per parent under row-level security; another site’s parent reads as null', async () => {
      const prescription = await server.db.prisma.socialPrescription.findFirstOrThrow({
        where: { tenantId: 'guelph', assessments: { some: {} }, client: { locks: { none: {} } } },
        orderBy: { id: 'asc' },
      });
      const query = `query($c: ID!, $p: ID!) {
        client: node(id: $c) { ... on Client { prescriptions(first: 1) { totalCount } assessments(first: 1) { totalCount } } }
        prescription: node(id: $p) { ... on SocialPrescription { assessments(first: 1) { totalCount edges { node { id } } } } }
      }`;
      const variables = { c: encodeGlobalID('Client', prescription.clientId), p: encodeGlobalID('SocialPrescription', prescription.id) };
      const own = await graphql(server, query, variables, await staff('guelph', 'LINK_WORKER'));
      expect(own.errors).toBeUndefined();
      const owner = server.db.prisma;
      expect(own.data.client.prescriptions.totalCount).toBe(await owner.socialPrescription.count({ where: { clientId: prescription.clientId } }));
      expect(own.data.client.assessments.totalCount).toBe(await owner.outcomeAssessment.count({ where: { clientId: prescription.clientId } }));
      const ofPrescription = await owner.outcomeAssessment.count({ where: { prescriptionId: prescription.id } });
      expect(ofPrescription).toBeGreaterThan(1);
      expect(own.data.prescription.assessments).toMatchObject({ totalCount: ofPrescription, edges: [expect.anything()] });
      const other = await graphql(server, query, variables, await staff('norwest', 'LINK_WORKER'));
      expect(other.errors).toBeUndefined();
      expect(other.data).toEqual({ client: null, prescription: null });
    });

    it('is not counted when not asked for', async () => {
      const statements: string[] = [];
      const counted = await startTestServer({ WEBHOOK_DISPATCHER: 'false' }, { onQuery: (sql) => statements.push(sql) });
      try {
        const headers = await staff('guelph', 'LINK_WORKER');
        const query = (count: string) =>
          `{ socialPrescriptions(first: 5) { ${count} edges { node { id client { assessments(first: 2) { ${count} edges { node { id } } } } } } } }`;
        await graphql(counted, query(''), {}, headers);
        statements.length = 0;
        await graphql(counted, query(''), {}, headers);
        expect(statements.filter((sql) => /count\(/i.test(sql))).toEqual([]);
        statements.length = 0;
        await graphql(counted, query('totalCount'), {}, headers);
        expect(statements.filter((sql) => /count\(/i.test(sql)).length).toBeGreaterThan(0);
      } finally {
        await counted.stop();
      }
    });
  });

  describe('cost', () => {
    const limits = { depth: 20, aliases: 20, tokens: 5000, directives: 10, cost: { STAFF: 1_000_000, NETWORK: 1_000_000, PARTNER: 1_000_000 } };
    const principal = { kind: 'STAFF' as const, subject: 's', tenantId: 'guelph', roles: ['LINK_WORKER' as const] };
    const cost = (query: string) => admitOperation(principal, { schema, document: parse(query), operationName: null, variables: {}, context: {} }, limits);

    it('prices a count once per connection, whatever its own page size, and per parent when nested', () => {
      for (const first of [1, 100]) {
        expect(cost(`{ clients(first: ${first}) { totalCount edges { node { id } } } }`) - cost(`{ clients(first: ${first}) { edges { node { id } } } }`)).toBe(
          countPrice,
        );
      }
      const nested = (count: string) => `{ clients(first: 10) { edges { node { prescriptions(first: 50) { ${count} edges { node { id } } } } } } }`;
      expect(cost(nested('totalCount')) - cost(nested(''))).toBe(10 * countPrice);
    });
  });

  describe('page size above the maximum', () => {
    it.each([
      ['socialPrescriptions', '{ socialPrescriptions(first: 101) { totalCount } }', 'socialPrescriptions.first'],
      ['clients (last)', '{ clients(last: 500) { totalCount } }', 'clients.last'],
      ['outcomeAssessments', '{ outcomeAssessments(first: 500) { totalCount } }', 'outcomeAssessments.first'],
      ['nested Client.prescriptions', '{ clients(first: 1) { edges { node { prescriptions(first: 101) { totalCount } } } } }', 'prescriptions.first'],
      [
        'nested SocialPrescription.assessments',
        '{ socialPrescriptions(first: 1) { edges { node { assessments(first: 101) { totalCount } } } } }',
        'assessments.first',
      ],
      ['nested Client.assessments', '{ clients(first: 1) { edges { node { assessments(last: 101) { totalCount } } } } }', 'assessments.last'],
    ])('%s answers BAD_USER_INPUT naming the maximum', async (_name, query, field) => {
      const result = await graphql(server, query, {}, await staff('guelph', 'LINK_WORKER'));
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toContain('at most 100');
      expect(result.errors![0]!.extensions).toMatchObject({ fields: [{ field }] });
      expect(result.data ?? null).toBeNull();
    });

    it('the maximum itself is answered (positive control)', async () => {
      const result = await graphql(
        server,
        '{ socialPrescriptions(first: 100) { totalCount edges { node { id } } } }',
        {},
        await staff('guelph', 'LINK_WORKER'),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.socialPrescriptions.edges.length).toBe(Math.min(100, result.data.socialPrescriptions.totalCount));
    });

    it.each(roots)('$field with first: 101 answers BAD_USER_INPUT', async ({ field, role }) => {
      const result = await graphql(server, `{ ${field}(first: 101) { totalCount } }`, {}, await staff('guelph', role));
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
