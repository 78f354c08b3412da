// Input that must not be accepted is refused as the caller's mistake (BAD_USER_INPUT naming the
// field), never stored wrong and never an internal error: dates that are no calendar day or lie
// outside 1900–2100, control characters, ids that are not ids; search takes % and _ literally.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { network, staff } from './support/tokens.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const linkWorker = () => staff('guelph', 'LINK_WORKER');
const coordinator = () => staff('guelph', 'PROGRAM_COORDINATOR');
const guelphClient = () => server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { id: 'asc' }, select: { id: true } });
const fieldsOf = (result: GraphQLResponse) =>
  (result.errors ?? []).flatMap((e) => (e.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

describe('dates', () => {
  const record = 'mutation($input: RecordOutcomeAssessmentInput!) { recordOutcomeAssessment(input: $input) { id assessedAt } }';
  const input = async (assessedAt: string) => ({
    clientId: encodeGlobalID('Client', (await guelphClient()).id),
    instrument: 'UCLA_LONELINESS_3',
    timePoint: 'CUSTOM',
    timePointLabel: `clean-input ${assessedAt}`,
    assessedAt,
    items: [1, 1, 1],
  });
  const stored = async (label: string) => server.db.prisma.outcomeAssessment.count({ where: { timePointLabel: label } });

  it.each([
    '2025-02-30',
    '2023-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '0000-01-01',
    '1899-12-31',
    '2101-01-01',
    '2025-3-1',
    '20250301',
    ' 2025-03-01',
  ])('Date %j in a variable is BAD_USER_INPUT and nothing is stored', async (date) => {
    const result = await graphql(server, record, { input: await input(date) }, await linkWorker());
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.status).toBe(400);
    expect(await stored(`clean-input ${date}`)).toBe(0);
  });

  it('Date written in the document: BAD_USER_INPUT, not stored rolled over to March', async () => {
    const clientId = encodeGlobalID('Client', (await guelphClient()).id);
    for (const date of ['2025-02-30', '0000-01-01']) {
      const result = await graphql(
        server,
        `mutation { recordOutcomeAssessment(input: { clientId: "${clientId}", instrument: UCLA_LONELINESS_3, timePoint: CUSTOM, timePointLabel: "literal ${date}", assessedAt: "${date}", items: [1, 1, 1] }) { id } }`,
        {},
        await linkWorker(),
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(/Date must/);
      expect(await stored(`literal ${date}`)).toBe(0);
    }
  });

  it('a real day, February 29th of a leap year and the range’s ends included, is stored as sent (positive control)', async () => {
    for (const date of ['2024-02-29', '1900-01-01']) {
      const result = await graphql<{ recordOutcomeAssessment: { assessedAt: string } }>(server, record, { input: await input(date) }, await linkWorker());
      expect(codes(result)).toEqual([]);
      expect(result.data!.recordOutcomeAssessment.assessedAt).toBe(date);
    }
  });

  it('DateTime: impossible, out-of-range, zone-less or date-only instants are BAD_USER_INPUT; an ISO instant with a zone is read', async () => {
    const query = 'query($from: DateTime) { socialPrescriptions(referredFrom: $from, first: 1) { edges { node { id } } } }';
    for (const from of [
      '2025-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2101-01-01T00:00:00Z',
      '2025-03-01T24:00:00Z',
      '2025-03-01T09:30:00',
      '2025-03-01',
      'March 1, 2025',
      '1',
    ]) {
      const result = await graphql(server, query, { from }, await linkWorker());
      expect(codes(result), from).toEqual(['BAD_USER_INPUT']);
      expect(result.status).toBe(400);
    }
    const literal = await graphql(
      server,
      '{ socialPrescriptions(referredFrom: "2019-02-30T00:00:00Z", first: 1) { edges { node { id } } } }',
      {},
      await linkWorker(),
    );
    expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
    for (const from of ['2019-06-01T00:00:00Z', '2019-06-01T00:00:00.123456+05:30', '2100-12-31T23:59:59-05:00']) {
      const result = await graphql(server, query, { from }, await linkWorker());
      expect(codes(result), from).toEqual([]);
      expect(result.data).toBeTruthy();
    }
  });
});

describe('control characters', () => {
  const createClient = 'mutation($input: CreateClientInput!) { createClient(input: $input) { id givenName } }';
  const createProgram = 'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id name description } }';

  it('NUL or another control character in a one-line field is BAD_USER_INPUT naming the field; nothing is stored', async () => {
    for (const givenName of ['A\u0000B', 'A\u0007B', 'A\u001bB', 'A\u007fB', 'A\u0085B', 'A\rB', 'A\nB', 'A\tB']) {
      const chartNumber = `CI-${givenName.codePointAt(1)}`;
      const result = await graphql(server, createClient, { input: { chartNumber, givenName, familyName: 'Clean' } }, await linkWorker());
      expect(codes(result), JSON.stringify(givenName)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual(['input.givenName']);
      expect(result.status).toBe(400);
      expect(await server.db.prisma.client.count({ where: { chartNumber } })).toBe(0);
    }
  });

  it('free text keeps tab and newline, refuses NUL and the other controls (positive control: a clean client and program are created)', async () => {
    const ok = await graphql(server, createClient, { input: { chartNumber: 'CI-OK', givenName: 'Amélie 李', familyName: 'Clean' } }, await linkWorker());
    expect(codes(ok)).toEqual([]);
    const description = 'Tuesdays:\n\t- walk\n\t- tea';
    const program = await graphql<{ createProgram: { description: string } }>(
      server,
      createProgram,
      { input: { name: 'Clean walk', runBy: 'SITE', description } },
      await coordinator(),
    );
    expect(codes(program)).toEqual([]);
    expect(program.data!.createProgram.description).toBe(description);
    const nul = await graphql(server, createProgram, { input: { name: 'Clean walk 2', runBy: 'SITE', description: 'walk\u0000' } }, await coordinator());
    expect(codes(nul)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(nul)).toEqual(['input.description']);
    const twoLines = await graphql(server, createProgram, { input: { name: 'Clean\nwalk', runBy: 'SITE' } }, await coordinator());
    expect(codes(twoLines)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(twoLines)).toEqual(['input.name']);
    expect(twoLines.errors![0]!.message).toMatch(/one line/);
  });

  it('plain arguments, list items, ids and broken UTF-16 too: BAD_USER_INPUT with the path, never INTERNAL_SERVER_ERROR', async () => {
    const search = await graphql(
      server,
      'query($s: String) { clients(search: $s, first: 5) { edges { node { id } } } }',
      { s: 'a\u0000b' },
      await linkWorker(),
    );
    expect(codes(search)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(search)).toEqual(['search']);
    const literal = await graphql(server, '{ programs(search: "a\\u0000b", first: 5) { edges { node { id } } } }', {}, await linkWorker());
    expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(literal)).toEqual(['search']);
    const surrogate = await graphql(
      server,
      'query($s: String) { programs(search: $s, first: 5) { edges { node { id } } } }',
      { s: 'a\ud800b' },
      await linkWorker(),
    );
    expect(codes(surrogate)).toEqual(['BAD_USER_INPUT']);
    const list = await graphql(server, createProgram, { input: { name: 'Listed', runBy: 'SITE', languages: ['en', 'f\u0000r'] } }, await coordinator());
    expect(codes(list)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(list)).toEqual(['input.languages.1']);
    const aggregates = await graphql(
      server,
      'query($f: AggregateFilter!) { networkSummary(filter: $f) { clients { value } } }',
      { f: { from: '2024-01-01', to: '2024-12-31', sites: ['guelph\u0000'] } },
      await network('ALLIANCE_ANALYST'),
    );
    expect(codes(aggregates)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(aggregates)).toEqual(['filter.sites.0']);
    // An id whose decoded row id holds NUL: not an id of anything.
    const nulId = encodeGlobalID('Client', 'a\u0000b');
    const update = await graphql(
      server,
      'mutation($input: UpdateClientInput!) { updateClient(input: $input) { id } }',
      { input: { id: nulId, expectedVersion: 1, givenName: 'X' } },
      await linkWorker(),
    );
    expect(codes(update)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(update)).toEqual(['input.id']);
    const node = await graphql(server, 'query($id: ID!) { node(id: $id) { id } }', { id: nulId }, await linkWorker());
    expect(codes(node)).toEqual([]);
    expect(node.data).toEqual({ node: null });
  });
});

describe('global ids', () => {
  const nodes = 'query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }';

  it('node / nodes: an id of an unknown type, a type that is no Node, or no id at all reads as null beside the ids that resolve', async () => {
    const client = encodeGlobalID('Client', (await guelphClient()).id);
    const notIds = [
      encodeGlobalID('Nope', 'x'),
      encodeGlobalID('Query', 'x'),
      encodeGlobalID('Cell', 'x'),
      'zz',
      '%%%',
      '',
      'Q2xpZW50',
      encodeGlobalID('Client', 'no-such-client'),
    ];
    const result = await graphql<{ nodes: ({ id: string; __typename: string } | null)[] }>(server, nodes, { ids: [client, ...notIds] }, await linkWorker());
    expect(codes(result)).toEqual([]);
    expect(result.data!.nodes[0]).toEqual({ id: client, __typename: 'Client' });
    expect(result.data!.nodes.slice(1)).toEqual(notIds.map(() => null));
    for (const id of notIds) {
      const one = await graphql(server, 'query($id: ID!) { node(id: $id) { id } }', { id }, await linkWorker());
      expect(codes(one), id).toEqual([]);
      expect(one.data).toEqual({ node: null });
    }
  });

  it('an id of the wrong type where an argument names a type is BAD_USER_INPUT naming it; of the right type but not yours, NOT_FOUND', async () => {
    const program = await server.db.prisma.program.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } });
    const wrongType = await graphql(
      server,
      'query($id: ID) { outcomeAssessments(clientId: $id, first: 1) { edges { node { id } } } }',
      { id: encodeGlobalID('Program', program.id) },
      await linkWorker(),
    );
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(wrongType)).toEqual(['clientId']);
    const other = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'centretown' }, select: { id: true, version: true } });
    const update = 'mutation($input: UpdateClientInput!) { updateClient(input: $input) { id } }';
    for (const id of [encodeGlobalID('Client', other.id), encodeGlobalID('Client', 'no-such-client')]) {
      const result = await graphql(server, update, { input: { id, expectedVersion: other.version, givenName: 'X' } }, await linkWorker());
      expect(codes(result)).toEqual(['NOT_FOUND']);
    }
    const garbage = await graphql(server, update, { input: { id: '%%%', expectedVersion: 1, givenName: 'X' } }, await linkWorker());
    expect(codes(garbage)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(garbage)).toEqual(['input.id']);
  });
});

describe('cursors', () => {
  it('a cursor the API did not make (another tag, NUL, not base64) is BAD_USER_INPUT naming it; its own cursors page on', async () => {
    const query =
      'query($after: String, $before: String) { clients(first: 2, after: $after, before: $before) { edges { node { id } } pageInfo { endCursor } } }';
    const first = await graphql<{ clients: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } }>(server, query, {}, await linkWorker());
    const next = await graphql<{ clients: { edges: { node: { id: string } }[] } }>(
      server,
      query,
      { after: first.data!.clients.pageInfo.endCursor },
      await linkWorker(),
    );
    expect(codes(next)).toEqual([]);
    expect(next.data!.clients.edges).toHaveLength(2);
    expect(next.data!.clients.edges[0]!.node.id).not.toBe(first.data!.clients.edges[0]!.node.id);
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    for (const cursor of ['GPC:S:a\u0000b', 'GPC:N:5', 'GPC:N:1e999', 'GPC:I:1', 'GPC:B:AA==', 'GPC:Z:', 'GPC:D:x', 'S:abc'].map(base64).concat(['%%%', ''])) {
      for (const name of ['after', 'before']) {
        const result = await graphql(server, query, { [name]: cursor }, await linkWorker());
        expect(codes(result), `${name} ${cursor}`).toEqual(['BAD_USER_INPUT']);
        expect(fieldsOf(result)).toEqual([name]);
      }
    }
  });
});

describe('search takes % and _ literally', () => {
  it('clients, programs and Health Champions: % and _ match only themselves; \\ is a character too', async () => {
    const lw = await linkWorker();
    for (const [chartNumber, familyName] of [
      ['CI-PCT', 'Per%cent'],
      ['CI-UND', 'Under_score'],
      ['CI-BSL', 'Back\\slash'],
    ]) {
      const made = await graphql(
        server,
        'mutation($input: CreateClientInput!) { createClient(input: $input) { id } }',
        { input: { chartNumber, givenName: 'Search', familyName } },
        lw,
      );
      expect(codes(made)).toEqual([]);
    }
    const names = async (search: string) => {
      const result = await graphql<{ clients: { edges: { node: { familyName: string } }[] } }>(
        server,
        'query($s: String) { clients(search: $s, first: 100) { edges { node { familyName } } } }',
        { s: search },
        lw,
      );
      expect(codes(result)).toEqual([]);
      return result.data!.clients.edges.map((e) => e.node.familyName).sort();
    };
    expect(await names('%')).toEqual(['Per%cent']);
    expect(await names('_')).toEqual(['Under_score']);
    expect(await names('\\')).toEqual(['Back\\slash']);
    expect(await names('r%c')).toEqual(['Per%cent']);
    expect(await names('r_s')).toEqual(['Under_score']);
    // Positive control: an ordinary part of a name still finds it, ignoring case.
    expect(await names('under')).toEqual(['Under_score']);
    // Chart numbers match from the start, literally too.
    expect(await names('CI-%')).toEqual([]);
    expect(await names('CI-P')).toEqual(['Per%cent']);

    const programs = async (search: string) => {
      const result = await graphql<{ programs: { edges: { node: { name: string } }[] } }>(
        server,
        'query($s: String) { programs(search: $s, first: 100) { edges { node { name } } } }',
        { s: search },
        lw,
      );
      expect(codes(result)).toEqual([]);
      return result.data!.programs.edges.map((e) => e.node.name);
    };
    const made = await graphql(
      server,
      'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
      { input: { name: '100% walk', runBy: 'SITE' } },
      await coordinator(),
    );
    expect(codes(made)).toEqual([]);
    expect(await programs('%')).toEqual(['100% walk']);
    expect((await programs('_')).filter((name) => !name.includes('_'))).toEqual([]);
    expect(await programs('0% w')).toEqual(['100% walk']);

    const champions = async (search: string) => {
      const result = await graphql<{ healthChampions: { edges: { node: { displayName: string } }[] } }>(
        server,
        'query($s: String) { healthChampions(search: $s, first: 100, activeOnly: false) { edges { node { displayName } } } }',
        { s: search },
        await coordinator(),
      );
      expect(codes(result)).toEqual([]);
      return result.data!.healthChampions.edges.map((e) => e.node.displayName);
    };
    const champion = await graphql(
      server,
      'mutation($input: CreateHealthChampionInput!) { createHealthChampion(input: $input) { id } }',
      { input: { displayName: 'Jo_Anne' } },
      await coordinator(),
    );
    expect(codes(champion)).toEqual([]);
    expect(await champions('_')).toEqual(['Jo_Anne']);
    expect(await champions('o_a')).toEqual(['Jo_Anne']);
    expect((await champions('%')).length).toBe(0);
  });
});
