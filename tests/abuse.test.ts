// The abuse corpus: documents that once took the server down, each refused before it runs with a
// stable code, in well under a second, without growing the heap. Every refusal has a positive
// control: the same shape within the limits answers with data.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { network, staff } from './support/tokens.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let server: TestServer;
let linkWorker: Record<string, string>;
let heapBefore: number;

beforeAll(async () => {
  server = await startTestServer();
  linkWorker = await staff('guelph', 'LINK_WORKER');
  // Warm up: the first request compiles and caches what every later one reuses.
  await graphql(server, '{ clients(first: 2) { edges { node { id } } } }', {}, linkWorker);
  heapBefore = heapUsed();
});
afterAll(async () => server?.stop());

/** A request's answer and how long it took, from the caller's side. */
async function timed(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const started = performance.now();
  const result = await graphql(server, query, variables, headers);
  return { ...result, ms: performance.now() - started };
}

/** `a { b { c { leaf } } }` from the levels [a, b, c], repeated `times`. */
const nest = (levels: string[], times: number, leaf: string) => {
  const all = Array<string[]>(times).fill(levels).flat();
  return `${all.join(' { ')} { ${leaf} ${'} '.repeat(all.length)}`;
};

describe('abuse corpus', () => {
  it('refuses deep cyclic nesting of clients and prescriptions', async () => {
    const cycle = ['prescriptions(first: 100)', 'edges', 'node', 'client'];
    const deep = await timed(`{ clients(first: 100) { edges { node { ${nest(cycle, 10, 'id')} } } } }`, {}, linkWorker);
    expect(codes(deep)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(deep.status).toBe(400);
    expect(deep.errors![0]!.extensions!.limit).toMatchObject({ name: 'depth', max: 12 });
    expect(deep.ms).toBeLessThan(1000);
    const shallow = await graphql(
      server,
      '{ clients(first: 3) { edges { node { id prescriptions(first: 2) { edges { node { id client { id } } } } } } } }',
      {},
      linkWorker,
    );
    expect(shallow.errors).toBeUndefined();
    expect(shallow.data.clients.edges.length).toBe(3);
  });

  it('prices nested pages by their sizes: within the depth limit, a multiplying page still costs too much', async () => {
    const wide = '{ clients(first: 100) { edges { node { prescriptions(first: 100) { edges { node { items { id program { id name } } } } } } } } }';
    const result = await timed(wide, {}, linkWorker);
    expect(codes(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.errors![0]!.extensions!.limit).toMatchObject({ name: 'cost', max: 10_000 });
    expect(result.errors![0]!.message).toMatch(/cost is \d+, over the limit of 10000/);
    const narrow = await graphql(
      server,
      wide.replace('clients(first: 100)', 'clients(first: 5)').replace('prescriptions(first: 100)', 'prescriptions(first: 5)'),
      {},
      linkWorker,
    );
    expect(narrow.errors).toBeUndefined();
  });

  it('refuses programs → Health Champion → programs loops', async () => {
    const loop = `{ programs(first: 10) { edges { node { ${nest(['healthChampion', 'programs'], 20, 'id')} } } } }`;
    const result = await timed(loop, {}, linkWorker);
    expect(codes(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.ms).toBeLessThan(1000);
  });

  it('refuses alias bombs, with a token', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: clients(first: 100) { edges { node { id } } }`).join(' ')} }`;
    const bomb = await timed(aliases(1000), {}, linkWorker);
    expect(codes(bomb)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(bomb.ms).toBeLessThan(1000);
    const few = await timed(aliases(30).replaceAll('first: 100', 'first: 2'), {}, linkWorker);
    expect(few.errors).toBeUndefined();
    const over = await timed(aliases(31).replaceAll('first: 100', 'first: 2'), {}, linkWorker);
    expect(over.errors![0]!.extensions!.limit).toEqual({ name: 'aliases', actual: 31, max: 30 });
  });

  it('answers UNAUTHENTICATED to an alias bomb without a token before reading it, and /healthz does not wait', async () => {
    const bomb = `{ ${Array.from({ length: 20_000 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`;
    const started = performance.now();
    const [result, health] = await Promise.all([timed(bomb), fetch(`${server.url}/healthz`).then((r) => r.status)]);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(health).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const forged = await timed(bomb, {}, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(codes(forged)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses huge documents: over the body limit, and over the token limit', async () => {
    const huge = `{ ${'viewer { kind } '.repeat(30_000)} }`;
    const tooLarge = await timed(huge, {}, linkWorker);
    expect(tooLarge.status).toBe(413);
    expect(codes(tooLarge)).toEqual(['REQUEST_TOO_LARGE']);
    const manyTokens = await timed(`{ ${'viewer { kind } '.repeat(2_000)} }`, {}, linkWorker);
    expect(codes(manyTokens)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(manyTokens.errors![0]!.extensions!.limit).toMatchObject({ name: 'tokens', max: 5000 });
    expect(manyTokens.ms).toBeLessThan(1000);
    const fine = await timed(`{ ${'viewer { kind } '.repeat(200)} }`, {}, linkWorker);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses many directives', async () => {
    const result = await timed(`{ viewer { ${'kind @include(if: true) '.repeat(500)} } }`, {}, linkWorker);
    expect(codes(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.errors![0]!.extensions!.limit).toMatchObject({ name: 'directives', max: 20 });
    const fine = await graphql(server, '{ viewer @include(if: true) { kind } }', {}, linkWorker);
    expect(fine.data.viewer.kind).toBe('STAFF');
  });

  it('bounds nodes(ids:): 3,000 ids are refused naming the maximum, 50,000 exceed the body limit, a few answer', async () => {
    const client = await server.db.prisma.client.findFirstOrThrow({ where: { tenantId: 'guelph' } });
    const id = encodeGlobalID('Client', client.id);
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Client { givenName } } }';
    const many = await timed(query, { ids: Array(3_000).fill(id) }, linkWorker);
    expect(codes(many)).toEqual(['BAD_USER_INPUT']);
    expect(many.errors![0]!.message).toMatch(/at most 100 ids/);
    expect(many.ms).toBeLessThan(1000);
    const huge = await timed(query, { ids: Array(50_000).fill(id) }, linkWorker);
    expect(codes(huge)).toEqual(['REQUEST_TOO_LARGE']);
    expect(huge.ms).toBeLessThan(1000);
    const few = await graphql(server, query, { ids: [id, id] }, linkWorker);
    expect(few.data.nodes.map((n: { givenName: string }) => n.givenName)).toEqual([client.givenName, client.givenName]);
  });

  it('refuses a page size over the maximum, naming it', async () => {
    const result = await timed('{ clients(first: 1000000) { edges { node { id } } } }', {}, linkWorker);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(/at most 100/);
    const max = await graphql(server, '{ clients(first: 100) { edges { node { id } } } }', {}, linkWorker);
    expect(max.data.clients.edges.length).toBeGreaterThan(0);
  });

  it('prices aggregates by the figures they can produce: a site × month table over 20 years costs too much', async () => {
    const analyst = await network('ALLIANCE_ANALYST');
    const query = 'query($from: Date!, $to: Date!) { prescriptionBreakdown(filter: { from: $from, to: $to }, by: [SITE, MONTH]) { totalClients { value } } }';
    const dear = await timed(query, { from: '2001-01-01', to: '2020-12-31' }, analyst);
    expect(codes(dear)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(dear.errors![0]!.extensions!.limit).toMatchObject({ name: 'cost', max: 20_000 });
    const year = await graphql(server, query, { from: '2019-01-01', to: '2019-12-31' }, analyst);
    expect(year.errors).toBeUndefined();
  });

  it('keeps the heap within 50 MB of where it started', () => {
    const growth = heapUsed() - heapBefore;
    console.log(`heap growth after the abuse corpus: ${(growth / 1_048_576).toFixed(1)} MB`);
    expect(growth).toBeLessThan(50 * 1_048_576);
  });
});
