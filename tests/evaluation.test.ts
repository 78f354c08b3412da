// Evaluation data over the real HTTP server, tried the way an attacker would: outcome assessments and
// utilization (health information, own site, clinical and data roles only) and readiness (the site's
// staff, and the Alliance across sites).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, ofType, type ResultOf, type VariablesOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { bearer, network, partner, staff } from './support/tokens.js';
import { readinessQuestions } from '../src/evaluation/readiness.js';

type Headers = Record<string, string>;
const fields = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.fields;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const recordAssessment = gql(`mutation($input: RecordOutcomeAssessmentInput!) {
  recordOutcomeAssessment(input: $input) {
    id instrument timePoint timePointLabel items score metricScore lonely assessedAt
    client { id } prescription { id } enteredBy { displayName }
  }
}`);
const recordUtilization = gql(`mutation($input: RecordUtilizationInput!) {
  recordUtilization(input: $input) { id period months primaryCareVisits emergencyVisits client { id } prescription { id } }
}`);
const recordReadiness = gql(`mutation($input: RecordReadinessAssessmentInput!) {
  recordReadinessAssessment(input: $input) { id site { slug } assessedOn note responses { item question answer note } }
}`);
type AssessmentInput = VariablesOf<typeof recordAssessment>['input'];
type UtilizationInput = VariablesOf<typeof recordUtilization>['input'];
type ReadinessResponse = VariablesOf<typeof recordReadiness>['input']['responses'][number];
const readinessItems = Object.keys(readinessQuestions) as ReadinessResponse['item'][];
const answers = ['YES', 'PARTLY', 'NO'] as const;
const allAnswers = () => readinessItems.map((item, i): ReadinessResponse => ({ item, answer: answers[i % 3]! }));

describe('evaluation data', () => {
  let server: TestServer;
  let linkWorker: Headers;
  let dataCoordinator: Headers;
  let siteAdmin: Headers;
  let guelphClientId: string;
  let guelphPrescriptionId: string;
  let otherGuelphPrescriptionId: string;
  let norwestClientId: string;
  let norwestPrescriptionId: string;
  let norwestAssessmentId: string;
  let norwestUtilizationId: string;
  let guelphAssessmentId: string;
  let guelphUtilizationId: string;
  let norwestReadinessId: string;

  const countRows = async () => ({
    assessments: await server.db.prisma.outcomeAssessment.count(),
    utilization: await server.db.prisma.utilizationRecord.count(),
    readiness: await server.db.prisma.readinessAssessment.count(),
    responses: await server.db.prisma.readinessResponse.count(),
  });
  const assessment = (overrides: Partial<AssessmentInput> = {}): AssessmentInput => ({
    clientId: encodeGlobalID('Client', guelphClientId),
    prescriptionId: encodeGlobalID('SocialPrescription', guelphPrescriptionId),
    instrument: 'UCLA_LONELINESS_3',
    // The demo prescription has its BASELINE and follow-ups already; a CUSTOM time point may recur.
    timePoint: 'CUSTOM',
    timePointLabel: 'Check-in',
    items: [2, 2, 2],
    assessedAt: '2024-03-01',
    ...overrides,
  });
  const utilization = (overrides: Partial<UtilizationInput> = {}): UtilizationInput => ({
    prescriptionId: encodeGlobalID('SocialPrescription', guelphPrescriptionId),
    period: 'BEFORE',
    months: 6,
    primaryCareVisits: 4,
    emergencyVisits: 1,
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestServer();
    linkWorker = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: 'guelph.link_worker.1' });
    dataCoordinator = await staff('guelph', 'DATA_COORDINATOR');
    siteAdmin = await staff('guelph', 'SITE_ADMIN');
    const owner = server.db.prisma;
    // A prescription of the demo data with assessments and utilization recorded against it.
    const guelphUtilization = await owner.utilizationRecord.findFirstOrThrow({
      where: { tenantId: 'guelph', prescription: { assessments: { some: {} } } },
      orderBy: { id: 'asc' },
    });
    guelphUtilizationId = guelphUtilization.id;
    guelphClientId = guelphUtilization.clientId;
    guelphPrescriptionId = guelphUtilization.prescriptionId;
    otherGuelphPrescriptionId = (await owner.socialPrescription.findFirstOrThrow({ where: { tenantId: 'guelph', clientId: { not: guelphClientId } } })).id;
    const norwestPrescription = await owner.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest' }, orderBy: { id: 'asc' } });
    norwestClientId = norwestPrescription.clientId;
    norwestPrescriptionId = norwestPrescription.id;
    norwestAssessmentId = (await owner.outcomeAssessment.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    norwestUtilizationId = (await owner.utilizationRecord.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    guelphAssessmentId = (await owner.outcomeAssessment.findFirstOrThrow({ where: { tenantId: 'guelph' } })).id;
    norwestReadinessId = (await owner.readinessAssessment.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('recording an outcome assessment', () => {
    it('scores UCLA answers, flags loneliness and records who entered it', async () => {
      const result = await graphql(server, recordAssessment, { input: assessment() }, linkWorker);
      expect(result.errors).toBeUndefined();
      expect(result.data!.recordOutcomeAssessment).toMatchObject({
        instrument: 'UCLA_LONELINESS_3',
        timePoint: 'CUSTOM',
        timePointLabel: 'Check-in',
        items: [2, 2, 2],
        score: 6,
        metricScore: null,
        lonely: true,
        assessedAt: '2024-03-01',
        client: { id: encodeGlobalID('Client', guelphClientId) },
        prescription: { id: encodeGlobalID('SocialPrescription', guelphPrescriptionId) },
        enteredBy: { displayName: expect.any(String) },
      });
      const row = await server.db.prisma.outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(result.data!.recordOutcomeAssessment.id) } });
      expect(row).toMatchObject({ tenantId: 'guelph', score: 6, metricScore: null });
    });

    it('stores the SWEMWBS metric score, and no score for ONS4', async () => {
      const swemwbs = await graphql(server, recordAssessment, { input: assessment({ instrument: 'SWEMWBS', items: [3, 3, 3, 3, 3, 3, 4] }) }, dataCoordinator);
      expect(swemwbs.errors).toBeUndefined();
      expect(swemwbs.data!.recordOutcomeAssessment).toMatchObject({ score: 22, metricScore: 19.98, lonely: null });
      const ons4 = await graphql(
        server,
        recordAssessment,
        { input: assessment({ instrument: 'ONS4', items: [7, 8, 6, 3], prescriptionId: null }) },
        await staff('guelph', 'PRESCRIBER'),
      );
      expect(ons4.errors).toBeUndefined();
      expect(ons4.data!.recordOutcomeAssessment).toMatchObject({ items: [7, 8, 6, 3], score: null, metricScore: null, lonely: null, prescription: null });
    });

    it('takes a CUSTOM time point with its label, and only then', async () => {
      const custom = await graphql(server, recordAssessment, { input: assessment({ timePoint: 'CUSTOM', timePointLabel: 'Program end' }) }, linkWorker);
      expect(custom.data!.recordOutcomeAssessment).toMatchObject({ timePoint: 'CUSTOM', timePointLabel: 'Program end' });
      const before = await countRows();
      const unlabelled = await graphql(server, recordAssessment, { input: assessment({ timePointLabel: null }) }, linkWorker);
      expect(fields(unlabelled)).toEqual([{ field: 'input.timePointLabel', message: 'is required for a CUSTOM time point' }]);
      const labelled = await graphql(server, recordAssessment, { input: assessment({ timePoint: 'BASELINE', timePointLabel: 'Week 2' }) }, linkWorker);
      expect(fields(labelled)).toEqual([{ field: 'input.timePointLabel', message: 'is only for a CUSTOM time point' }]);
      expect(await countRows()).toEqual(before);
    });

    it('answers BAD_USER_INPUT naming the item out of range, or the wrong count, and writes nothing', async () => {
      const before = await countRows();
      const high = await graphql(server, recordAssessment, { input: assessment({ items: [1, 2, 4] }) }, linkWorker);
      expect(codes(high)).toEqual(['BAD_USER_INPUT']);
      expect(fields(high)).toEqual([{ field: 'input.items.2', message: 'must be between 1 and 3' }]);
      const ons4 = await graphql(server, recordAssessment, { input: assessment({ instrument: 'ONS4', items: [-1, 5, 11, 5] }) }, linkWorker);
      expect(fields(ons4)).toEqual([
        { field: 'input.items.0', message: 'must be between 0 and 10' },
        { field: 'input.items.2', message: 'must be between 0 and 10' },
      ]);
      const count = await graphql(server, recordAssessment, { input: assessment({ instrument: 'SWEMWBS', items: [3, 3, 3] }) }, linkWorker);
      expect(fields(count)).toEqual([{ field: 'input.items', message: 'must hold 7 answers for SWEMWBS' }]);
      const future = await graphql(server, recordAssessment, { input: assessment({ assessedAt: '2099-01-01' }) }, linkWorker);
      expect(fields(future)).toEqual([{ field: 'input.assessedAt', message: 'cannot be in the future' }]);
      expect(await countRows()).toEqual(before);
    });

    it('refuses a prescription of another client of the site', async () => {
      const before = await countRows();
      const result = await graphql(
        server,
        recordAssessment,
        { input: assessment({ prescriptionId: encodeGlobalID('SocialPrescription', otherGuelphPrescriptionId) }) },
        linkWorker,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(fields(result)).toEqual([{ field: 'input.prescriptionId', message: 'is not a prescription of this client' }]);
      expect(await countRows()).toEqual(before);
    });

    it.each([
      ['client', () => ({ clientId: encodeGlobalID('Client', norwestClientId), prescriptionId: null })],
      [
        'client with its own prescription',
        () => ({ clientId: encodeGlobalID('Client', norwestClientId), prescriptionId: encodeGlobalID('SocialPrescription', norwestPrescriptionId) }),
      ],
      ['prescription', () => ({ prescriptionId: encodeGlobalID('SocialPrescription', norwestPrescriptionId) })],
    ])('answers NOT_FOUND for another site’s %s and writes nothing', async (_what, ids) => {
      const before = await countRows();
      const result = await graphql(server, recordAssessment, { input: assessment(ids()) }, linkWorker);
      expect(codes(result)).toEqual(['NOT_FOUND']);
      expect(result.data ?? null).toBeNull();
      expect(await countRows()).toEqual(before);
    });

    it('answers BAD_USER_INPUT for an id of the wrong type', async () => {
      const result = await graphql(
        server,
        recordAssessment,
        { input: assessment({ clientId: encodeGlobalID('SocialPrescription', guelphPrescriptionId) }) },
        linkWorker,
      );
      expect(fields(result)).toEqual([{ field: 'input.clientId', message: 'must be the id of a Client' }]);
    });

    it.each([
      ['PRIVACY_OFFICER', () => staff('guelph', 'PRIVACY_OFFICER')],
      ['SITE_ADMIN', () => staff('guelph', 'SITE_ADMIN')],
      ['PROGRAM_COORDINATOR', () => staff('guelph', 'PROGRAM_COORDINATOR')],
      ['HEALTH_CHAMPION', () => staff('guelph', 'HEALTH_CHAMPION')],
      ['ALLIANCE_ADMIN', () => network('ALLIANCE_ADMIN')],
      ['a partner', () => partner('teamcare', 'referrals:create referrals:read programs:read')],
    ])('is FORBIDDEN to %s', async (_who, headers) => {
      const before = await countRows();
      expect(codes(await graphql(server, recordAssessment, { input: assessment() }, await headers()))).toEqual(['FORBIDDEN']);
      expect(await countRows()).toEqual(before);
    });
  });

  describe('reading outcome assessments', () => {
    it('lists the site’s own assessments only, and finds nothing by another site’s client id', async () => {
      // Less those of clients who lock-boxed their assessments from this link worker: not even counted.
      const me = await server.db.prisma.staffMember.findFirstOrThrow({ where: { subject: 'guelph.link_worker.1' } });
      const lockedFromMe = { locks: { none: { category: 'ASSESSMENTS' as const, releasedAt: null, NOT: { allowedStaffIds: { has: me.id } } } } };
      const guelphIds = new Set(
        (await server.db.prisma.outcomeAssessment.findMany({ where: { tenantId: 'guelph', client: lockedFromMe }, select: { id: true } })).map((a) => a.id),
      );
      const seen: string[] = [];
      const assessmentsPage = gql(
        'query($after: String) { outcomeAssessments(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id client { id } } } } }',
      );
      let after: string | null | undefined = null;
      do {
        const page: GraphQLResponse<ResultOf<typeof assessmentsPage>> = await graphql(server, assessmentsPage, { after }, linkWorker);
        expect(page.errors).toBeUndefined();
        seen.push(...page.data!.outcomeAssessments.edges.map((e) => rawId(e.node.id)));
        after = page.data!.outcomeAssessments.pageInfo.hasNextPage ? page.data!.outcomeAssessments.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(seen)).toEqual(guelphIds);

      // A norwest client with assessments and no lock-box, so norwest's own link worker sees them.
      const norwestAssessment = await server.db.prisma.outcomeAssessment.findFirstOrThrow({ where: { tenantId: 'norwest', client: { locks: { none: {} } } } });
      const byClient = gql('query($c: ID) { outcomeAssessments(first: 100, clientId: $c) { edges { node { id } } } }');
      const variables = { c: encodeGlobalID('Client', norwestAssessment.clientId) };
      const foreign = await graphql(server, byClient, variables, linkWorker);
      expect(foreign.errors).toBeUndefined();
      expect(foreign.data!.outcomeAssessments.edges).toEqual([]);
      const own = await graphql(server, byClient, variables, await staff('norwest', 'LINK_WORKER'));
      expect(own.data!.outcomeAssessments.edges.map((e) => rawId(e.node.id))).toContain(norwestAssessment.id);
    });

    it('filters by client, instrument and time point', async () => {
      const result = await graphql(
        server,
        gql(
          'query($c: ID) { outcomeAssessments(first: 100, clientId: $c, instrument: UCLA_LONELINESS_3, timePoint: BASELINE) { edges { node { instrument timePoint client { id } } } } }',
        ),
        { c: encodeGlobalID('Client', guelphClientId) },
        linkWorker,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.outcomeAssessments.edges.length).toBeGreaterThan(0);
      for (const { node } of result.data!.outcomeAssessments.edges) {
        expect(node).toEqual({ instrument: 'UCLA_LONELINESS_3', timePoint: 'BASELINE', client: { id: encodeGlobalID('Client', guelphClientId) } });
      }
    });

    it('shows a client’s and a prescription’s assessments and utilization through them', async () => {
      const result = await graphql(
        server,
        gql(`query($c: ID!, $p: ID!) {
        client: node(id: $c) { __typename ... on Client { assessments(first: 100) { edges { node { id } } } } }
        prescription: node(id: $p) { __typename ... on SocialPrescription { assessments(first: 100) { edges { node { id } } } utilization { id period } } }
      }`),
        { c: encodeGlobalID('Client', guelphClientId), p: encodeGlobalID('SocialPrescription', guelphPrescriptionId) },
        linkWorker,
      );
      expect(result.errors).toBeUndefined();
      const owner = server.db.prisma;
      const ofClient = await owner.outcomeAssessment.findMany({ where: { clientId: guelphClientId }, select: { id: true } });
      const ofPrescription = await owner.outcomeAssessment.findMany({ where: { prescriptionId: guelphPrescriptionId }, select: { id: true } });
      const utilizationRows = await owner.utilizationRecord.findMany({ where: { prescriptionId: guelphPrescriptionId }, select: { id: true } });
      expect(ofClient.length).toBeGreaterThan(0);
      expect(utilizationRows.length).toBeGreaterThan(0);
      const client = ofType(result.data!.client, 'Client');
      const prescription = ofType(result.data!.prescription, 'SocialPrescription');
      expect(client.assessments!.edges.map((e) => rawId(e.node.id)).sort()).toEqual(ofClient.map((a) => a.id).sort());
      expect(prescription.assessments!.edges.map((e) => rawId(e.node.id)).sort()).toEqual(ofPrescription.map((a) => a.id).sort());
      expect(prescription.utilization!.map((u) => rawId(u.id)).sort()).toEqual(utilizationRows.map((u) => u.id).sort());
    });

    it('gives node(id:) of another site’s assessment and utilization as null, exactly like a missing id', async () => {
      const ids = [
        encodeGlobalID('OutcomeAssessment', norwestAssessmentId),
        encodeGlobalID('UtilizationRecord', norwestUtilizationId),
        encodeGlobalID('OutcomeAssessment', '00000000-0000-4000-8000-000000000000'),
        encodeGlobalID('OutcomeAssessment', guelphAssessmentId),
        encodeGlobalID('UtilizationRecord', guelphUtilizationId),
      ];
      const result = await graphql(
        server,
        gql('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on OutcomeAssessment { items } ... on UtilizationRecord { primaryCareVisits } } }'),
        { ids },
        linkWorker,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.nodes.slice(0, 3)).toEqual([null, null, null]);
      expect(result.data!.nodes[3]).toMatchObject({ id: ids[3] });
      expect(result.data!.nodes[4]).toMatchObject({ id: ids[4] });
    });

    it.each([
      ['HEALTH_CHAMPION', () => staff('guelph', 'HEALTH_CHAMPION')],
      ['PROGRAM_COORDINATOR', () => staff('guelph', 'PROGRAM_COORDINATOR')],
      ['SITE_ADMIN', () => staff('guelph', 'SITE_ADMIN')],
      ['ALLIANCE_ANALYST', () => network('ALLIANCE_ANALYST')],
      ['ALLIANCE_ADMIN', () => network('ALLIANCE_ADMIN')],
      ['a partner', () => partner('teamcare', 'referrals:create referrals:read programs:read')],
    ])('%s reads no assessment or utilization by any path', async (_who, makeHeaders) => {
      const headers = await makeHeaders();
      expect(codes(await graphql(server, gql('{ outcomeAssessments(first: 5) { edges { node { items } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, gql('{ utilizationRecords(first: 5) { edges { node { emergencyVisits } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      const nodes = await graphql(
        server,
        gql('query($ids: [ID!]!) { nodes(ids: $ids) { ... on OutcomeAssessment { items score } ... on UtilizationRecord { primaryCareVisits } } }'),
        {
          ids: [encodeGlobalID('OutcomeAssessment', guelphAssessmentId), encodeGlobalID('UtilizationRecord', guelphUtilizationId)],
        },
        headers,
      );
      expect(nodes.data?.nodes ?? [null, null]).toEqual([null, null]);
    });
  });

  describe('privacy', () => {
    it('logs each read and write of assessments and utilization in the audit trail', async () => {
      const audit = (action: 'READ' | 'WRITE', category: string) =>
        server.db.prisma.auditEvent.count({ where: { clientId: guelphClientId, action, categories: { has: category } } });
      const before = { read: await audit('READ', 'ASSESSMENTS'), write: await audit('WRITE', 'ASSESSMENTS'), utilization: await audit('READ', 'UTILIZATION') };
      const written = await graphql(
        server,
        gql('mutation($input: RecordOutcomeAssessmentInput!) { recordOutcomeAssessment(input: $input) { id } }'),
        { input: assessment() },
        linkWorker,
      );
      expect(written.errors).toBeUndefined();
      await graphql(
        server,
        gql(
          'query($p: ID) { outcomeAssessments(first: 1, prescriptionId: $p) { edges { node { score } } } utilizationRecords(first: 1, prescriptionId: $p) { edges { node { emergencyVisits } } } }',
        ),
        {
          p: encodeGlobalID('SocialPrescription', guelphPrescriptionId),
        },
        linkWorker,
      );
      expect(await audit('WRITE', 'ASSESSMENTS')).toBe(before.write + 1);
      expect(await audit('READ', 'ASSESSMENTS')).toBe(before.read + 1);
      expect(await audit('READ', 'UTILIZATION')).toBe(before.utilization + 1);
    });

    it('withholds lock-boxed assessments and utilization from staff the client did not name', async () => {
      const owner = server.db.prisma;
      const locked = await owner.utilizationRecord.findFirstOrThrow({
        where: { tenantId: 'guelph', clientId: { not: guelphClientId }, prescription: { assessments: { some: {} } } },
      });
      const lockedAssessment = await owner.outcomeAssessment.findFirstOrThrow({ where: { clientId: locked.clientId } });
      await owner.clientLock.createMany({
        data: ['ASSESSMENTS', 'UTILIZATION'].map((category) => ({
          tenantId: 'guelph',
          clientId: locked.clientId,
          category: category as 'ASSESSMENTS',
          allowedStaffIds: [],
        })),
      });
      const result = await graphql(
        server,
        gql(
          'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on OutcomeAssessment { items score assessedAt } ... on UtilizationRecord { primaryCareVisits emergencyVisits } } }',
        ),
        {
          ids: [encodeGlobalID('OutcomeAssessment', lockedAssessment.id), encodeGlobalID('UtilizationRecord', locked.id)],
        },
        linkWorker,
      );
      expect(result.data!.nodes[0]).toMatchObject({ items: null, score: null, assessedAt: null });
      expect(result.data!.nodes[1]).toMatchObject({ primaryCareVisits: null, emergencyVisits: null });
    });
  });

  describe('utilization', () => {
    it('a data coordinator records visits; the client is the prescription’s', async () => {
      const result = await graphql(
        server,
        recordUtilization,
        { input: utilization({ period: 'AFTER', primaryCareVisits: 0, emergencyVisits: 0 }) },
        dataCoordinator,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.recordUtilization).toMatchObject({
        period: 'AFTER',
        months: 6,
        primaryCareVisits: 0,
        emergencyVisits: 0,
        client: { id: encodeGlobalID('Client', guelphClientId) },
        prescription: { id: encodeGlobalID('SocialPrescription', guelphPrescriptionId) },
      });
      const listed = await graphql(
        server,
        gql('query($p: ID) { utilizationRecords(first: 100, prescriptionId: $p) { edges { node { id } } } }'),
        { p: encodeGlobalID('SocialPrescription', guelphPrescriptionId) },
        linkWorker,
      );
      expect(listed.data!.utilizationRecords.edges.map((e) => e.node.id)).toContain(result.data!.recordUtilization.id);
    });

    it('lists the site’s own records only', async () => {
      // Less those of clients who lock-boxed their utilization from this privacy officer: not even counted.
      const me = await server.db.prisma.staffMember.findFirstOrThrow({ where: { subject: 'guelph.privacy_officer.1' } });
      const lockedFromMe = { locks: { none: { category: 'UTILIZATION' as const, releasedAt: null, NOT: { allowedStaffIds: { has: me.id } } } } };
      const guelphIds = new Set(
        (await server.db.prisma.utilizationRecord.findMany({ where: { tenantId: 'guelph', client: lockedFromMe }, select: { id: true } })).map((u) => u.id),
      );
      const result = await graphql(server, gql('{ utilizationRecords(first: 100) { edges { node { id } } } }'), {}, await staff('guelph', 'PRIVACY_OFFICER'));
      expect(result.errors).toBeUndefined();
      expect(new Set(result.data!.utilizationRecords.edges.map((e) => rawId(e.node.id)))).toEqual(guelphIds);
      const norwestRecord = await server.db.prisma.utilizationRecord.findFirstOrThrow({ where: { tenantId: 'norwest', client: { locks: { none: {} } } } });
      const byPrescription = gql('query($p: ID) { utilizationRecords(first: 100, prescriptionId: $p) { edges { node { id } } } }');
      const variables = { p: encodeGlobalID('SocialPrescription', norwestRecord.prescriptionId) };
      const foreign = await graphql(server, byPrescription, variables, linkWorker);
      expect(foreign.errors).toBeUndefined();
      expect(foreign.data!.utilizationRecords.edges).toEqual([]);
      const own = await graphql(server, byPrescription, variables, await staff('norwest', 'LINK_WORKER'));
      expect(own.data!.utilizationRecords.edges.map((e) => rawId(e.node.id))).toContain(norwestRecord.id);
    });

    it('answers NOT_FOUND for another site’s prescription and writes nothing', async () => {
      const before = await countRows();
      const result = await graphql(
        server,
        recordUtilization,
        { input: utilization({ prescriptionId: encodeGlobalID('SocialPrescription', norwestPrescriptionId) }) },
        dataCoordinator,
      );
      expect(codes(result)).toEqual(['NOT_FOUND']);
      expect(await countRows()).toEqual(before);
    });

    it('answers BAD_USER_INPUT naming each field out of range', async () => {
      const before = await countRows();
      const result = await graphql(
        server,
        recordUtilization,
        { input: utilization({ months: 25, primaryCareVisits: -1, emergencyVisits: -2 }) },
        dataCoordinator,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(fields(result)).toEqual([
        { field: 'input.months', message: 'must be between 1 and 24' },
        { field: 'input.primaryCareVisits', message: 'cannot be negative' },
        { field: 'input.emergencyVisits', message: 'cannot be negative' },
      ]);
      const zero = await graphql(server, recordUtilization, { input: utilization({ months: 0 }) }, dataCoordinator);
      expect(fields(zero)).toEqual([{ field: 'input.months', message: 'must be between 1 and 24' }]);
      expect(await countRows()).toEqual(before);
    });

    it.each(['LINK_WORKER', 'PRESCRIBER', 'PRIVACY_OFFICER', 'SITE_ADMIN'])('is FORBIDDEN to %s', async (role) => {
      const before = await countRows();
      expect(codes(await graphql(server, recordUtilization, { input: utilization() }, await staff('guelph', role)))).toEqual(['FORBIDDEN']);
      expect(await countRows()).toEqual(before);
    });
  });

  describe('readiness', () => {
    it('a site admin records the whole checklist, answered in the checklist’s order with its questions', async () => {
      const responses = allAnswers().reverse();
      responses[0] = { ...responses[0]!, note: 'A data coordinator started in May.' };
      const result = await graphql(server, recordReadiness, { input: { assessedOn: '2024-05-01', note: 'Second look', responses } }, siteAdmin);
      expect(result.errors).toBeUndefined();
      const recorded = result.data!.recordReadinessAssessment;
      expect(recorded).toMatchObject({ site: { slug: 'guelph' }, assessedOn: '2024-05-01', note: 'Second look' });
      expect(recorded.responses.map((r) => r.item)).toEqual(readinessItems);
      expect(recorded.responses[0]?.question).toBe('Is there strong executive and management support for social prescribing?');
      expect(recorded.responses[11]).toEqual({
        item: 'DATA_COMMITMENT',
        question: 'Is there strong commitment to capturing data related to social and community-related indicators?',
        answer: allAnswers()[11]!.answer,
        note: 'A data coordinator started in May.',
      });
      const row = await server.db.prisma.readinessAssessment.findUniqueOrThrow({ where: { id: rawId(recorded.id) }, include: { responses: true } });
      expect(row.tenantId).toBe('guelph');
      expect(row.responses).toHaveLength(12);
    });

    it('describes every ReadinessItem with the checklist’s own question', async () => {
      const result = await graphql(server, '{ __type(name: "ReadinessItem") { enumValues { name description } } }', {}, siteAdmin);
      expect(result.data!.__type.enumValues).toHaveLength(12);
      for (const value of result.data!.__type.enumValues) expect(value.description).toBe(readinessQuestions[value.name as keyof typeof readinessQuestions]);
    });

    it('answers BAD_USER_INPUT naming a missing or twice-answered item, and writes nothing', async () => {
      const before = await countRows();
      const missing = await graphql(
        server,
        recordReadiness,
        { input: { assessedOn: '2024-05-01', responses: allAnswers().filter((r) => r.item !== 'COMMUNITY_PARTNER_TABLE') } },
        siteAdmin,
      );
      expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
      expect(fields(missing)).toEqual([{ field: 'input.responses', message: 'COMMUNITY_PARTNER_TABLE is not answered' }]);
      const twice = await graphql(
        server,
        recordReadiness,
        { input: { assessedOn: '2024-05-01', responses: [...allAnswers(), { item: 'DATA_COMMITMENT', answer: 'NO' }] } },
        siteAdmin,
      );
      expect(fields(twice)).toEqual([{ field: 'input.responses.12.item', message: 'DATA_COMMITMENT is answered more than once' }]);
      const none = await graphql(server, recordReadiness, { input: { assessedOn: '2024-05-01', responses: [] } }, siteAdmin);
      expect(fields(none)).toHaveLength(12);
      expect(await countRows()).toEqual(before);
    });

    it.each([
      ['LINK_WORKER', () => staff('guelph', 'LINK_WORKER')],
      ['DATA_COORDINATOR', () => staff('guelph', 'DATA_COORDINATOR')],
      ['ALLIANCE_ADMIN', () => network('ALLIANCE_ADMIN')],
      ['a partner', () => partner('teamcare', 'referrals:create referrals:read programs:read')],
    ])('recording is FORBIDDEN to %s', async (_who, headers) => {
      const before = await countRows();
      expect(codes(await graphql(server, recordReadiness, { input: { assessedOn: '2024-05-01', responses: allAnswers() } }, await headers()))).toEqual([
        'FORBIDDEN',
      ]);
      expect(await countRows()).toEqual(before);
    });

    it('site staff in any role read their own site’s assessments only', async () => {
      const guelphCount = await server.db.prisma.readinessAssessment.count({ where: { tenantId: 'guelph' } });
      const result = await graphql(
        server,
        gql('{ readinessAssessments(first: 100) { edges { node { site { slug } responses { item answer } } } } }'),
        {},
        await staff('guelph', 'HEALTH_CHAMPION'),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.readinessAssessments.edges).toHaveLength(guelphCount);
      expect(result.data!.readinessAssessments.edges.every((e) => e.node.site.slug === 'guelph')).toBe(true);
      const norwestAdmin = await staff('norwest', 'SITE_ADMIN');
      const bySite = gql('{ readinessAssessments(first: 100, site: "norwest") { edges { node { id } } } }');
      const other = await graphql(server, bySite, {}, siteAdmin);
      expect(other.errors).toBeUndefined();
      expect(other.data!.readinessAssessments.edges).toEqual([]);
      expect((await graphql(server, bySite, {}, norwestAdmin)).data!.readinessAssessments.edges.map((e) => rawId(e.node.id))).toContain(norwestReadinessId);
      const lookUp = gql('query($id: ID!) { node(id: $id) { id } }');
      const id = encodeGlobalID('ReadinessAssessment', norwestReadinessId);
      const node = await graphql(server, lookUp, { id }, siteAdmin);
      expect(node.errors).toBeUndefined();
      expect(node.data!.node).toBeNull();
      expect((await graphql(server, lookUp, { id }, norwestAdmin)).data!.node).toEqual({ id });
    });

    it.each(['ALLIANCE_ANALYST', 'ALLIANCE_ADMIN'])('%s reads every site’s readiness but no assessment', async (role) => {
      const headers = await network(role);
      const sites = await server.db.prisma.readinessAssessment.groupBy({ by: ['tenantId'], _count: true });
      const result = await graphql(
        server,
        gql('{ readinessAssessments(first: 100) { edges { node { site { slug } responses { item question answer } } } } }'),
        {},
        headers,
      );
      expect(result.errors).toBeUndefined();
      expect(new Set(result.data!.readinessAssessments.edges.map((e) => e.node.site.slug))).toEqual(new Set(sites.map((s) => s.tenantId)));
      expect(sites.length).toBeGreaterThan(1);
      const one = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on ReadinessAssessment { site { slug } } } }'),
        { id: encodeGlobalID('ReadinessAssessment', norwestReadinessId) },
        headers,
      );
      expect(one.data!.node).toEqual({ site: { slug: 'norwest' } });
      expect(codes(await graphql(server, gql('{ outcomeAssessments(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
    });

    it('is FORBIDDEN to partners, whatever their scopes', async () => {
      const headers = await partner('teamcare', 'referrals:create referrals:read programs:read');
      expect(codes(await graphql(server, gql('{ readinessAssessments(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
      const lookUp = gql('query($id: ID!) { node(id: $id) { __typename ... on ReadinessAssessment { note } } }');
      const id = encodeGlobalID('ReadinessAssessment', norwestReadinessId);
      const node = await graphql(server, lookUp, { id }, headers);
      expect(codes(node).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(node.data!.node).toBeNull();
      expect((await graphql(server, lookUp, { id }, await staff('norwest', 'SITE_ADMIN'))).data!.node).toMatchObject({ __typename: 'ReadinessAssessment' });
    });
  });
});
