// Authorization is checked once per object, not once per value (graphql/permissions.ts): a field
// that produces objects also checks their type's action, `node` reads a type the caller may not
// read as null, and only then are the type's plain fields left unwrapped. Each case: the caller
// who may not read gets nothing, the caller who may gets the data.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedWithTheirObject, producedChecks } from '../src/graphql/permissions.js';
import { schema } from '../src/graphql/schema.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { network, partner, staff } from './support/tokens.js';

describe('checked once per object', () => {
  it('leaves a type’s plain fields unwrapped only when every field producing it checks its action', () => {
    const secret = new GraphQLObjectType({ name: 'Secret', extensions: { authz: 'readClients' }, fields: { value: { type: GraphQLString } } });
    const build = (mutationAuthz: string) =>
      new GraphQLSchema({
        query: new GraphQLObjectType({ name: 'Query', fields: { open: { type: secret, extensions: { authz: 'seeViewer' } } } }),
        mutation: new GraphQLObjectType({ name: 'Mutation', fields: { make: { type: secret, extensions: { authz: mutationAuthz } } } }),
      });
    // A query field open to everyone checks the type's action as well ...
    expect(producedChecks(build('keepClients')).get('Query.open')).toBe('readClients');
    expect(checkedWithTheirObject(build('keepClients'))).toContain('Secret.value');
    // ... but a mutation must still write: a type it returns to callers its action does not cover keeps every field checked.
    expect(checkedWithTheirObject(build('seeViewer'))).not.toContain('Secret.value');
    // Health information with an action of its own stays checked field by field.
    const covered = checkedWithTheirObject(schema);
    expect(covered).toContain('SocialPrescription.status');
    for (const field of covered) {
      const [type, name] = field.split('.') as [string, string];
      const object = schema.getType(type) as GraphQLObjectType;
      const own = object.getFields()[name]!.extensions.authz;
      expect(own === undefined || own === object.extensions.authz, field).toBe(true);
    }
  });

  describe('over HTTP', () => {
    let server: TestServer;
    let clientId: string;
    beforeAll(async () => {
      server = await startTestServer();
      const listed = await graphql(server, gql('{ clients(first: 1) { edges { node { id familyName } } } }'), {}, await staff('guelph', 'LINK_WORKER'));
      clientId = listed.data!.clients.edges[0]!.node.id;
    });
    afterAll(async () => {
      await server?.stop();
    });

    const lookUp = `query($id: ID!) { node(id: $id) { id ... on Client { familyName dateOfBirth } } }`;

    it('node reads a client as null for a caller who may not read clients; the link worker reads it', async () => {
      const allowed = await graphql(server, lookUp, { id: clientId }, await staff('guelph', 'LINK_WORKER'));
      expect(allowed.data.node.familyName).toEqual(expect.any(String));
      for (const headers of [await staff('guelph', 'HEALTH_CHAMPION'), await staff('guelph', 'PROGRAM_COORDINATOR'), await network('ALLIANCE_ANALYST')]) {
        const refused = await graphql(server, lookUp, { id: clientId }, headers);
        expect(refused.data).toEqual({ node: null });
        expect(JSON.stringify(refused)).not.toContain(allowed.data.node.familyName);
      }
    });

    it('a partner that reads programs gets none of their Health Champions; site staff read them', async () => {
      const query = '{ programs(first: 100) { edges { node { name healthChampion { displayName } } } } }';
      const site = await graphql(server, query, {}, await staff('guelph', 'LINK_WORKER'));
      const led = site.data.programs.edges.filter((e: { node: { healthChampion: unknown } }) => e.node.healthChampion);
      expect(led.length).toBeGreaterThan(0);
      const refused = await graphql(server, query, {}, await partner('teamcare', 'programs:read'));
      expect(refused.data.programs.edges.length).toBeGreaterThan(0);
      const champions = (refused.data?.programs?.edges ?? []).map((e: { node: { healthChampion: unknown } } | null) => e?.node?.healthChampion).filter(Boolean);
      expect(champions).toEqual([]);
      // Row-level security already hides the champions from partners; were one produced, its field would answer FORBIDDEN.
      expect(codes(refused).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
    });
  });
});
