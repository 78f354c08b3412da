import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { bearer, network } from './support/tokens.js';

describe('HTTP server', () => {
  let server: TestServer;
  let analyst: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer();
    analyst = await network('ALLIANCE_ANALYST');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz once migrations are applied', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', database: server.testDb.kind });
  });

  it("names every response with its own request id, keeping the caller's as a correlation id", async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-correlation-id')).toBe('trace-123');
  });

  it('serves the 11 sites over GraphQL POST', async () => {
    const result = await graphql(server, gql('{ tenants { id slug name regionKind languages pilotStart } }'), {}, analyst);
    expect(result.errors).toBeUndefined();
    expect(result.data?.tenants).toHaveLength(11);
    expect(result.data?.tenants.map((t: { slug: string }) => t.slug)).toContain('temiskaming');
  });

  it('serves GraphQL over GET too', async () => {
    const query = encodeURIComponent('{ tenant(id: "guelph") { name regionKind } }');
    const response = await fetch(`${server.url}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true', ...analyst } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tenant: { name: 'Guelph Community Health Centre', regionKind: 'URBAN' } } });
  });

  it('resolves node(id:) for a site', async () => {
    const { data } = await graphql(server, gql('{ tenant(id: "norwest") { id } }'), {}, analyst);
    const result = await graphql(server, gql('query($id: ID!) { node(id: $id) { ... on Tenant { slug } } }'), { id: data!.tenant!.id }, analyst);
    expect(result.data?.node).toEqual({ slug: 'norwest' });
  });

  it('lists the network partners', async () => {
    const result = await graphql(
      server,
      '{ partnerOrganizations(first: 50) { edges { node { slug name } } } }',
      {},
      await bearer({ tenant: 'guelph', roles: ['SITE_ADMIN'] }),
    );
    const slugs = result.data.partnerOrganizations.edges.map((e: { node: { slug: string } }) => e.node.slug);
    expect(slugs).toEqual(expect.arrayContaining(['rom', 'tso', 'ago', 'ecohealth-ontario', '211-ontario', 'teamcare']));
  });
});
