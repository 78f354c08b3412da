// No N+1: a nested list costs the same number of SQL statements whatever its page size. Counts
// every statement of the request's transaction (BEGIN, role and principal settings, the reads,
// COMMIT); the token's site lookup, cached on the owner connection, falls outside it. The webhook
// dispatcher, which polls the outbox on its own schedule, is off: its statements are not the request's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TadaDocumentNode } from 'gql.tada';
import { gql } from './support/graphql.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { staff } from './support/tokens.js';

const pageSizes = [10, 100] as const;
const prescriptionsWithItems = gql(
  'query($first: Int!) { socialPrescriptions(first: $first) { edges { node { client { givenName } items { status program { name partner { name } } } } } } }',
);
const clientsWithPrescriptions = gql(
  'query($first: Int!) { clients(first: $first) { edges { node { prescriptions(first: 5) { edges { node { status } } } } } } }',
);

describe('statements per request', () => {
  let server: TestServer;
  let linkWorker: Record<string, string>;
  let statements: string[] = [];

  /** Runs the query and returns its rows and the statements of its transaction. */
  async function measure<Result>(query: TadaDocumentNode<Result, { first: number }>, first: number) {
    statements = [];
    const result = await graphql(server, query, { first }, linkWorker);
    expect(result.errors).toBeUndefined();
    const transaction = statements.slice(statements.indexOf('BEGIN'));
    expect(transaction.filter((sql) => sql === 'BEGIN')).toHaveLength(1);
    expect(transaction.at(-1)).toBe('COMMIT');
    return { data: result.data!, count: transaction.length };
  }

  // The demo data gives guelph fewer than 100 clients and prescriptions: add clients, each with a
  // prescription connected to two programs (partner-run ones among them), so both pages are full.
  // Their referral dates interleave with the demo ones, so the pages mix both.
  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_DISPATCHER: 'false' }, { onQuery: (sql) => statements.push(sql) });
    linkWorker = await staff('guelph', 'LINK_WORKER');
    const owner = server.db.prisma;
    const programs = await owner.program.findMany({
      where: { OR: [{ tenantId: 'guelph' }, { tenantId: null }], active: true },
      orderBy: [{ partnerId: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      select: { id: true },
    });
    const { _min, _max } = await owner.socialPrescription.aggregate({ where: { tenantId: 'guelph' }, _min: { referredAt: true }, _max: { referredAt: true } });
    const [from, to] = [_min.referredAt!.getTime(), _max.referredAt!.getTime()];
    const extra = Array.from({ length: 100 }, (_, i) => ({
      client: randomUUID(),
      prescription: randomUUID(),
      referredAt: new Date(from + ((to - from) * i) / 100),
      i,
    }));
    await owner.client.createMany({
      data: extra.map(({ client, i }) => ({ id: client, tenantId: 'guelph', chartNumber: `NPLUS1-${i}`, givenName: `Given${i}`, familyName: `Family${i}` })),
    });
    await owner.socialPrescription.createMany({
      data: extra.map(({ client, prescription, referredAt }) => ({
        id: prescription,
        tenantId: 'guelph',
        clientId: client,
        needs: ['SOCIAL_ISOLATION'],
        supportLevel: 'LIGHT',
        referredAt,
      })),
    });
    await owner.prescriptionItem.createMany({
      data: extra.flatMap(({ prescription, i }) =>
        [i, i + 1].map((n) => ({ tenantId: 'guelph', prescriptionId: prescription, programId: programs[n % programs.length]!.id })),
      ),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Measures the query at both page sizes, one after the other, and prints the counts. */
  async function atBothSizes<Result>(name: string, query: TadaDocumentNode<Result, { first: number }>) {
    const small = await measure(query, pageSizes[0]);
    const large = await measure(query, pageSizes[1]);
    console.log(`${name}: ${small.count} statements at first: ${pageSizes[0]}, ${large.count} at first: ${pageSizes[1]}`);
    return [small, large] as const;
  }

  it('a page of prescriptions with their clients, items, programs and partners costs the same at 10 and 100', async () => {
    const [small, large] = await atBothSizes('socialPrescriptions → client, items → program → partner', prescriptionsWithItems);
    expect(small.data.socialPrescriptions.edges).toHaveLength(10);
    expect(large.data.socialPrescriptions.edges).toHaveLength(100);
    const nodes = large.data.socialPrescriptions.edges.map((e) => e.node);
    expect(nodes.every((node) => node.client.givenName)).toBe(true);
    const partners = nodes.flatMap((node) => node.items.map((item) => item.program?.partner?.name).filter(Boolean));
    expect(new Set(partners).size).toBeGreaterThan(1);
    expect(large.count).toBe(small.count);
  });

  it('a page of clients with a page of prescriptions each costs the same at 10 and 100', async () => {
    const [small, large] = await atBothSizes('clients → prescriptions(first: 5)', clientsWithPrescriptions);
    expect(small.data.clients.edges).toHaveLength(10);
    expect(large.data.clients.edges).toHaveLength(100);
    const perClient = large.data.clients.edges.map((e) => e.node.prescriptions.edges.length);
    expect(perClient.filter((n) => n > 0).length).toBeGreaterThan(50);
    expect(Math.max(...perClient)).toBeLessThanOrEqual(5);
    expect(large.count).toBe(small.count);
  });
});
