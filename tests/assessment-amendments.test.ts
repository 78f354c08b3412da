// One outcome assessment per (prescription, instrument, time point), CUSTOM excepted: a second one
// answers CONFLICT, and a correction is an explicit amendment that keeps what it replaced.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { staff } from './support/tokens.js';

type Headers = Record<string, string>;
const gid = encodeGlobalID;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const record = 'mutation($input: RecordOutcomeAssessmentInput!) { recordOutcomeAssessment(input: $input) { id version score timePoint } }';
const amend = `mutation($input: AmendOutcomeAssessmentInput!) { amendOutcomeAssessment(input: $input) {
  id version items score assessedAt timePoint
  revisions { version items score assessedAt reason amendedBySubject amendedBy { id } amendedAt }
} }`;
const read = 'query($id: ID!) { node(id: $id) { ... on OutcomeAssessment { version items revisions { version items reason } } } }';

// In the order written (also under --sequence.shuffle): every step records or amends the assessments of one
// prescription as the steps before left them.
describe('outcome assessments: one per time point, amendments', { shuffle: false }, () => {
  let server: TestServer;
  let linkWorker: Headers;
  let dataCoordinator: Headers;
  let clientId: string;
  let prescriptionId: string;

  const owner = () => server.db.prisma;
  const input = (overrides: Record<string, unknown> = {}) => ({
    clientId: gid('Client', clientId),
    prescriptionId: gid('SocialPrescription', prescriptionId),
    instrument: 'UCLA_LONELINESS_3',
    timePoint: 'BASELINE',
    items: [2, 2, 2],
    assessedAt: '2024-03-01',
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestServer();
    linkWorker = await staff('guelph', 'LINK_WORKER');
    dataCoordinator = await staff('guelph', 'DATA_COORDINATOR');
    clientId = (await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { id: 'asc' } })).id;
    // A prescription of its own, without assessments yet.
    const created = await graphql(
      server,
      'mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { id } }',
      { input: { clientId: gid('Client', clientId), needs: ['SOCIAL_ISOLATION'], supportLevel: 'LIGHT' } },
      await staff('guelph', 'PRESCRIBER'),
    );
    prescriptionId = rawId(created.data.createSocialPrescription.id);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('one per (prescription, instrument, time point)', () => {
    it('a second UCLA-3 BASELINE for the same prescription answers CONFLICT and writes nothing', async () => {
      const first = await graphql(server, record, { input: input() }, linkWorker);
      expect(first.errors).toBeUndefined();
      const before = await owner().outcomeAssessment.count({ where: { prescriptionId } });
      const second = await graphql(server, record, { input: input({ items: [3, 3, 3], assessedAt: '2024-03-02' }) }, dataCoordinator);
      expect(codes(second)).toEqual(['CONFLICT']);
      expect(second.errors![0]!.message).toMatch(/already has a BASELINE UCLA_LONELINESS_3 assessment: correct it with amendOutcomeAssessment/);
      expect(await owner().outcomeAssessment.count({ where: { prescriptionId } })).toBe(before);
    });

    it('another time point, another instrument, a CUSTOM time point again, or no prescription are each new', async () => {
      for (const overrides of [
        { timePoint: 'MONTH_3' },
        { instrument: 'COMMUNITY_BELONGING', items: [3] },
        { timePoint: 'CUSTOM', timePointLabel: 'Program end' },
        { timePoint: 'CUSTOM', timePointLabel: 'Program end' },
        { prescriptionId: null },
        { prescriptionId: null },
      ]) {
        const result = await graphql(server, record, { input: input(overrides) }, linkWorker);
        expect(result.errors, JSON.stringify(overrides)).toBeUndefined();
      }
    });

    it('the database itself refuses a duplicate (the partial unique index)', async () => {
      const existing = await owner().outcomeAssessment.findFirstOrThrow({ where: { prescriptionId, timePoint: 'BASELINE', instrument: 'UCLA_LONELINESS_3' } });
      const { id: _id, createdAt: _createdAt, ...copy } = existing;
      await expect(owner().outcomeAssessment.create({ data: { ...copy, metricScore: null } })).rejects.toThrow();
    });

    it('the demo data holds no duplicates', async () => {
      const duplicates = await owner().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM (
          SELECT 1 FROM "OutcomeAssessment" WHERE "prescriptionId" IS NOT NULL AND "timePoint" <> 'CUSTOM'
           GROUP BY "tenantId", "prescriptionId", instrument, "timePoint" HAVING count(*) > 1) d`;
      expect(Number(duplicates[0]!.n)).toBe(0);
      expect(await owner().outcomeAssessment.count()).toBeGreaterThan(1000);
    });
  });

  describe('amendOutcomeAssessment', () => {
    let id: string;
    beforeAll(async () => {
      const created = await graphql(server, record, { input: input({ instrument: 'SWEMWBS', items: [3, 3, 3, 3, 3, 3, 3] }) }, linkWorker);
      id = created.data.recordOutcomeAssessment.id;
    });

    it('corrects the answers, rescores, and keeps the original as a revision', async () => {
      const amended = await graphql(
        server,
        amend,
        { input: { id, expectedVersion: 1, items: [4, 4, 4, 4, 4, 4, 4], reason: 'Item order was swapped.' } },
        dataCoordinator,
      );
      expect(amended.errors).toBeUndefined();
      expect(amended.data.amendOutcomeAssessment).toMatchObject({ version: 2, items: [4, 4, 4, 4, 4, 4, 4], score: 28, assessedAt: '2024-03-01' });
      expect(amended.data.amendOutcomeAssessment.revisions).toEqual([
        {
          version: 1,
          items: [3, 3, 3, 3, 3, 3, 3],
          score: 21,
          assessedAt: '2024-03-01',
          reason: 'Item order was swapped.',
          amendedBySubject: expect.any(String),
          amendedBy: { id: expect.any(String) },
          amendedAt: expect.any(String),
        },
      ]);
      const again = await graphql(server, amend, { input: { id, expectedVersion: 2, assessedAt: '2024-03-04', reason: 'Wrong day.' } }, linkWorker);
      expect(again.errors).toBeUndefined();
      expect(again.data.amendOutcomeAssessment).toMatchObject({ version: 3, items: [4, 4, 4, 4, 4, 4, 4], assessedAt: '2024-03-04' });
      expect(again.data.amendOutcomeAssessment.revisions.map((r: { version: number; reason: string }) => [r.version, r.reason])).toEqual([
        [1, 'Item order was swapped.'],
        [2, 'Wrong day.'],
      ]);
      expect(await owner().outcomeAssessmentRevision.count({ where: { assessmentId: rawId(id) } })).toBe(2);
    });

    it('a stale version answers CONFLICT and writes nothing', async () => {
      const before = await owner().outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(id) } });
      const revisions = await owner().outcomeAssessmentRevision.count();
      const stale = await graphql(server, amend, { input: { id, expectedVersion: 1, items: [1, 1, 1, 1, 1, 1, 1], reason: 'Stale.' } }, linkWorker);
      expect(codes(stale)).toEqual(['CONFLICT']);
      expect(await owner().outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(id) } })).toEqual(before);
      expect(await owner().outcomeAssessmentRevision.count()).toBe(revisions);
    });

    it('answers BAD_USER_INPUT for answers the instrument does not take, a label off CUSTOM, or no reason', async () => {
      const version = (await owner().outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(id) } })).version;
      const range = await graphql(server, amend, { input: { id, expectedVersion: version, items: [1, 1, 1, 1, 1, 1, 9], reason: 'x' } }, linkWorker);
      expect(range.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.items.6' }] });
      const label = await graphql(server, amend, { input: { id, expectedVersion: version, timePointLabel: 'Week 2', reason: 'x' } }, linkWorker);
      expect(label.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.timePointLabel' }] });
      const reasonless = await graphql(server, amend, { input: { id, expectedVersion: version, reason: ' ' } }, linkWorker);
      expect(codes(reasonless)).toEqual(['BAD_USER_INPUT']);
    });

    it('another site’s staff find nothing to amend or read; roles without recordOutcomes are refused', async () => {
      const version = (await owner().outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(id) } })).version;
      const change = { input: { id, expectedVersion: version, items: [2, 2, 2, 2, 2, 2, 2], reason: 'Not theirs.' } };
      expect(codes(await graphql(server, amend, change, await staff('norwest', 'DATA_COORDINATOR')))).toEqual(['NOT_FOUND']);
      expect((await graphql(server, read, { id }, await staff('norwest', 'DATA_COORDINATOR'))).data.node).toBeNull();
      expect(codes(await graphql(server, amend, change, await staff('guelph', 'PRIVACY_OFFICER')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, amend, change, await staff('guelph', 'SITE_ADMIN')))).toEqual(['FORBIDDEN']);
      // Positive control: those who may read assessments read the history, the privacy officer included.
      const history = await graphql(server, read, { id }, await staff('guelph', 'PRIVACY_OFFICER'));
      expect(history.errors).toBeUndefined();
      expect(history.data.node.revisions.length).toBeGreaterThan(0);
      expect(await owner().outcomeAssessment.findUniqueOrThrow({ where: { id: rawId(id) } })).toMatchObject({ version });
    });
  });
});
