// Rate limits in cost units per subject, per site and per partner: 429 RATE_LIMITED with
// Retry-After; with REDIS_URL, two API instances on one database draw on the same counters.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/start.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer, partner } from './support/tokens.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// `clients(first: 10) { edges { node { id } } }` costs 2 + 10 × 1 = 12 units.
const page = '{ clients(first: 10) { edges { node { id } } } }';

describe('rate limits in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SUBJECT: '50', RATE_LIMIT_SITE: '100', RATE_LIMIT_PARTNER: '20' });
  });
  afterAll(async () => server?.stop());

  it('charges each subject its operations’ cost, then answers 429 with Retry-After', async () => {
    const worker = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: `guelph.link_worker.${randomUUID()}` });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await graphql(server, page, {}, worker));
    expect(answers.slice(0, 4).every((a) => !a.errors && a.data.clients.edges.length === 10)).toBe(true);
    const limited = answers[4]!;
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.data ?? null).toBeNull();
    // Another subject of another site is not affected.
    const other = await graphql(server, page, {}, await bearer({ tenant: 'rexdale', roles: ['LINK_WORKER'], subject: `rexdale.x.${randomUUID()}` }));
    expect(other.errors).toBeUndefined();
  });

  it('charges a site for all its staff together', async () => {
    const tenant = 'norwest';
    let limited;
    for (let i = 0; i < 10 && !limited; i++) {
      const answer = await graphql(server, page, {}, await bearer({ tenant, roles: ['LINK_WORKER'], subject: `${tenant}.staff.${randomUUID()}` }));
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.errors?.[0]?.message).toMatch(/Rate limit of site/);
  });

  it('charges a partner for all its tokens together', async () => {
    const query = '{ partnerReferrals(first: 5) { edges { node { id } } } }';
    const first = await graphql(server, query, {}, await partner('teamcare', 'referrals:read'));
    expect(first.errors).toBeUndefined();
    let limited: Awaited<ReturnType<typeof graphql>> | undefined;
    for (let i = 0; i < 5 && !limited; i++) {
      const answer = await graphql(server, query, {}, await partner('teamcare', 'referrals:read'));
      if (answer.status === 429) limited = answer;
    }
    expect(codes(limited!)).toEqual(['RATE_LIMITED']);
  });

  it('does not charge a refused operation', async () => {
    const worker = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: `guelph.link_worker.${randomUUID()}` });
    const levels = ['clients(first: 1)', 'edges', 'node', ...Array(4).fill(['prescriptions(first: 1)', 'edges', 'node', 'client']).flat()];
    const tooDeep = `{ ${levels.join(' { ')} { id ${'} '.repeat(levels.length)}}`;
    for (let i = 0; i < 5; i++) expect(codes(await graphql(server, tooDeep, {}, worker))).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await graphql(server, page, {}, worker)).errors).toBeUndefined();
  });
});

describe('rate limits shared through Redis', () => {
  const databases: TestDatabase[] = [];
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    const overrides = { REDIS_URL, RATE_LIMIT_SUBJECT: '50' };
    const copyOf = inject('seededDatabase');
    // Two instances on one PostgreSQL database; the embedded database is one process's, so there each has its own copy.
    const shared = process.env.TEST_DATABASE_URL ? await createTestDatabase(overrides, { copyOf }) : undefined;
    for (let i = 0; i < 2; i++) {
      const testDb = shared ?? (await createTestDatabase(overrides, { copyOf }));
      if (!databases.includes(testDb)) databases.push(testDb);
      servers.push(await startServer({ ...testDb.config, seedOnEmpty: true }, pino({ level: 'silent' }), { seedAnyDatabase: true }));
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const testDb of databases) await testDb.drop();
  });

  it('counts one subject’s requests across both instances', async () => {
    const worker = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject: `guelph.link_worker.${randomUUID()}` });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await graphql(servers[i % 2]!, page, {}, worker)).status);
    // 12 units each against 50: four pass, whichever instance they reached; then both refuse.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
