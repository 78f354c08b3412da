// After mergeClients: the merged record (mergedInto set) is history — readable by id, never listed,
// found by search or counted in `clients`. And the site's history entries carry the coded status
// reason as SocialPrescription does.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { staff } from './support/tokens.js';

type Headers = Record<string, string>;

const CREATE_CLIENT = 'mutation($input: CreateClientInput!) { createClient(input: $input) { id version } }';
const MERGE = 'mutation($input: MergeClientsInput!) { mergeClients(input: $input) { id } }';
const CLIENTS = 'query($search: String) { clients(search: $search, first: 100) { totalCount edges { node { id } } } }';
const CLIENT = 'query($id: ID!) { node(id: $id) { ... on Client { id familyName mergedInto { id } } } }';

describe('merged client records', () => {
  let server: TestServer;
  let linkWorker: Headers;
  let dataCoordinator: Headers;
  const stamp = `${process.pid}${Date.now()}`;

  beforeAll(async () => {
    server = await startTestServer();
    linkWorker = await staff('norwest', 'LINK_WORKER');
    dataCoordinator = await staff('norwest', 'DATA_COORDINATOR');
  });
  afterAll(() => server?.stop());

  const listed = async (search: string | null, headers: Headers = linkWorker) => {
    const result = await graphql(server, CLIENTS, { search }, headers);
    expect(result.errors).toBeUndefined();
    const { totalCount, edges } = result.data.clients as { totalCount: number; edges: { node: { id: string } }[] };
    return { totalCount, ids: edges.map((e) => e.node.id) };
  };

  it('are not listed, found or counted by clients, and stay readable by id', async () => {
    const familyName = `Merged${stamp}`;
    const made = await Promise.all(
      ['A', 'B'].map((suffix) =>
        graphql(
          server,
          CREATE_CLIENT,
          { input: { givenName: 'Sam', familyName, dateOfBirth: '1970-01-01', chartNumber: `MRG-${stamp}-${suffix}` } },
          dataCoordinator,
        ),
      ),
    );
    const [keep, merge] = made.map((m) => {
      expect(m.errors).toBeUndefined();
      return m.data.createClient as { id: string; version: number };
    });

    // Positive control: before the merge both are listed, found and counted.
    const allBefore = await listed(null);
    expect(await listed(familyName)).toEqual({ totalCount: 2, ids: expect.arrayContaining([keep!.id, merge!.id]) });
    expect((await listed(`MRG-${stamp}-B`)).ids).toEqual([merge!.id]);

    const merged = await graphql(
      server,
      MERGE,
      { input: { keepId: keep!.id, keepExpectedVersion: keep!.version, mergeId: merge!.id, mergeExpectedVersion: merge!.version } },
      linkWorker,
    );
    expect(merged.errors).toBeUndefined();

    expect(await listed(familyName)).toEqual({ totalCount: 1, ids: [keep!.id] });
    expect(await listed(`MRG-${stamp}-B`)).toEqual({ totalCount: 0, ids: [] });
    const allAfter = await listed(null);
    expect(allAfter.totalCount).toBe(allBefore.totalCount - 1);
    expect(allAfter.totalCount).toBe(await server.db.prisma.client.count({ where: { tenantId: 'norwest', mergedIntoId: null } }));
    expect(await server.db.prisma.client.count({ where: { tenantId: 'norwest', mergedIntoId: { not: null } } })).toBeGreaterThan(0);
    // Every page, in another order: the merged record never comes.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = (await graphql(
        server,
        'query($after: String) { clients(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
        linkWorker,
      )) as { data: { clients: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
      seen.push(...page.data.clients.edges.map((e) => e.node.id));
      if (!page.data.clients.pageInfo.hasNextPage) break;
      after = page.data.clients.pageInfo.endCursor;
    }
    expect(seen).toContain(keep!.id);
    expect(seen).not.toContain(merge!.id);
    expect(seen).toHaveLength(allAfter.totalCount);

    // Still there for the history.
    const record = await graphql(server, CLIENT, { id: merge!.id }, linkWorker);
    expect(record.data.node).toEqual({ id: merge!.id, familyName, mergedInto: { id: keep!.id } });
  });

  it('PrescriptionEvent.statusReason: the coded reason of a move, as on SocialPrescription', async () => {
    const prescription = await server.db.prisma.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest', status: 'REQUESTED' } });
    const id = encodeGlobalID('SocialPrescription', prescription.id);
    const rejected = await graphql(
      server,
      'mutation($input: TransitionSocialPrescriptionInput!) { transitionSocialPrescription(input: $input) { statusReason { code display } } }',
      { input: { id, to: 'REJECTED', outcome: 'NOT_ELIGIBLE', reasonCode: 'NOT_ELIGIBLE', reason: 'Outside the catchment.' } },
      linkWorker,
    );
    expect(rejected.errors).toBeUndefined();
    const history = await graphql(
      server,
      'query($id: ID!) { node(id: $id) { ... on SocialPrescription { statusReason { code display } events { toStatus statusReason { code display } note } } } }',
      { id },
      linkWorker,
    );
    expect(history.errors).toBeUndefined();
    const node = history.data.node as {
      statusReason: { code: string; display: string };
      events: { toStatus: string | null; statusReason: { code: string; display: string } | null; note: string | null }[];
    };
    expect(node.statusReason).toEqual({ code: 'NOT_ELIGIBLE', display: 'Not eligible' });
    expect(node.events.at(-1)).toEqual({ toStatus: 'REJECTED', statusReason: node.statusReason, note: 'Outside the catchment.' });
    // Entries with no coded reason read null.
    expect(node.events.slice(0, -1).every((e) => e.statusReason === null)).toBe(true);
  });
});
