// The asset map, tried the way an attacker would: another site's SITE-visible assets never come
// out, shared ones do, writes stay within the caller's own site, and the search finds by distance.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, type ResultOf, type VariablesOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { versioned } from './support/versions.js';
import { network, partner, staff } from './support/tokens.js';

type Headers = Record<string, string>;
const fieldsOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const list =
  gql(`query($first: Int = 100, $search: String, $category: Need, $kind: AssetKind, $language: String, $cost: CostLevel, $near: NearInput, $includeRetired: Boolean, $includeNetwork: Boolean, $after: String) {
  communityAssets(first: $first, after: $after, search: $search, category: $category, kind: $kind, language: $language, cost: $cost, near: $near, includeRetired: $includeRetired, includeNetwork: $includeNetwork) {
    pageInfo { hasNextPage endCursor }
    edges { distanceKm node { id name kind categories languages cost visibility retired site { slug } } }
  }
}`);
const create = gql('mutation($input: CreateCommunityAssetInput!) { createCommunityAsset(input: $input) { id name visibility postalCode site { slug } } }');
const update = gql('mutation($input: UpdateCommunityAssetInput!) { updateCommunityAsset(input: $input) { id name latitude longitude } }');
const retire = gql('mutation($id: ID!) { retireCommunityAsset(id: $id) { id retired retiredAt } }');

/** The great-circle distance in km, as a check on the SQL. */
function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

describe('community assets', () => {
  let server: TestServer;
  let guelphLinkWorker: Headers;
  let norwestSiteAsset: { id: string; name: string };
  let norwestSharedAsset: { id: string; name: string; latitude: number | null; longitude: number | null };
  let guelphToolLibrary: { id: string; latitude: number | null; longitude: number | null };

  const assetRows = () => server.db.prisma.communityAsset.findMany({ orderBy: { id: 'asc' } });
  type Page = GraphQLResponse<ResultOf<typeof list>>;
  const allPages = async (variables: Omit<VariablesOf<typeof list>, 'after'>, headers: Headers) => {
    const edges: NonNullable<Page['data']>['communityAssets']['edges'] = [];
    let after: string | null | undefined = null;
    do {
      const result: Page = await graphql(server, list, { ...variables, after }, headers);
      expect(result.errors).toBeUndefined();
      edges.push(...result.data!.communityAssets.edges);
      after = result.data!.communityAssets.pageInfo.hasNextPage ? result.data!.communityAssets.pageInfo.endCursor : null;
    } while (after);
    return edges;
  };

  beforeAll(async () => {
    server = await startTestServer();
    guelphLinkWorker = await staff('guelph', 'LINK_WORKER');
    const owner = server.db.prisma;
    norwestSiteAsset = await owner.communityAsset.findFirstOrThrow({ where: { tenantId: 'norwest', visibility: 'SITE' } });
    norwestSharedAsset = await owner.communityAsset.findFirstOrThrow({ where: { tenantId: 'norwest', visibility: 'NETWORK' } });
    guelphToolLibrary = await owner.communityAsset.findFirstOrThrow({ where: { tenantId: 'guelph', name: 'Guelph Tool Library' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('reading', () => {
    it('a site lists its own assets and the network’s shared ones, never another site’s own', async () => {
      const edges = await allPages({ includeRetired: true }, guelphLinkWorker);
      const ids = new Set(edges.map((e) => rawId(e.node.id)));
      const expected = await server.db.prisma.communityAsset.findMany({ where: { OR: [{ tenantId: 'guelph' }, { visibility: 'NETWORK' }] } });
      expect(ids).toEqual(new Set(expected.map((a) => a.id)));
      expect(edges.every((e) => e.node.site.slug === 'guelph' || e.node.visibility === 'NETWORK')).toBe(true);
      expect(ids.has(norwestSiteAsset.id)).toBe(false);
      expect(ids.has(norwestSharedAsset.id)).toBe(true);
      expect(edges.every((e) => e.distanceKm === null)).toBe(true);
    });

    it('searching for another site’s own asset by its exact name finds nothing', async () => {
      const found = async (headers: Headers) =>
        (await allPages({ search: norwestSiteAsset.name }, headers)).filter((e) => rawId(e.node.id) === norwestSiteAsset.id);
      expect(await found(guelphLinkWorker)).toEqual([]);
      expect(await found(await staff('norwest', 'LINK_WORKER'))).toHaveLength(1);
    });

    it('node(id:) shows a shared asset and hides another site’s own one like a nonexistent id', async () => {
      const query = gql('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on CommunityAsset { name } } }');
      const ids = [norwestSiteAsset.id, '00000000-0000-4000-8000-000000000000', norwestSharedAsset.id].map((id) => encodeGlobalID('CommunityAsset', id));
      const result = await graphql(server, query, { ids }, await staff('guelph', 'HEALTH_CHAMPION'));
      expect(result.errors).toBeUndefined();
      expect(result.data!.nodes).toEqual([null, null, { id: ids[2], name: norwestSharedAsset.name }]);
    });

    it('the Alliance reads shared assets only; a partner reads none', async () => {
      const edges = await allPages({ includeRetired: true }, await network('ALLIANCE_ANALYST'));
      expect(edges.length).toBeGreaterThan(0);
      expect(edges.every((e) => e.node.visibility === 'NETWORK')).toBe(true);
      expect((await allPages({ includeNetwork: false }, await network('ALLIANCE_ADMIN'))).length).toBe(0);
      const teamcare = await partner('teamcare', 'referrals:create referrals:read programs:read');
      expect(codes(await graphql(server, list, {}, teamcare))).toEqual(['FORBIDDEN']);
      const lookUp = gql('query($id: ID!) { node(id: $id) { ... on CommunityAsset { name } } }');
      const node = await graphql(server, lookUp, { id: encodeGlobalID('CommunityAsset', norwestSharedAsset.id) }, teamcare);
      expect(codes(node).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(node.data!.node).toBeNull();
      const alliance = await graphql(server, lookUp, { id: encodeGlobalID('CommunityAsset', norwestSharedAsset.id) }, await network('ALLIANCE_ANALYST'));
      expect(alliance.data!.node).toEqual({ name: norwestSharedAsset.name });
    });

    it('includeNetwork: false keeps to the caller’s own site', async () => {
      const edges = await allPages({ includeNetwork: false }, guelphLinkWorker);
      expect(edges.length).toBeGreaterThan(0);
      expect(edges.every((e) => e.node.site.slug === 'guelph')).toBe(true);
    });
  });

  describe('search', () => {
    it('filters by text, category, kind, language and cost', async () => {
      const byText = await allPages({ search: 'tool libr' }, guelphLinkWorker);
      expect(byText.map((e) => e.node.name)).toEqual(['Guelph Tool Library']);
      const byCategory = await allPages({ category: 'FOOD' }, guelphLinkWorker);
      expect(byCategory.length).toBeGreaterThan(0);
      expect(byCategory.every((e) => e.node.categories.includes('FOOD'))).toBe(true);
      const byKind = await allPages({ kind: 'PHYSICAL_STRUCTURE' }, guelphLinkWorker);
      expect(byKind.length).toBeGreaterThan(0);
      expect(byKind.every((e) => e.node.kind === 'PHYSICAL_STRUCTURE')).toBe(true);
      const byCost = await allPages({ cost: 'LOW_COST' }, guelphLinkWorker);
      expect(byCost.map((e) => e.node.name)).toContain('Guelph Tool Library');
      expect(byCost.every((e) => e.node.cost === 'LOW_COST')).toBe(true);
      const french = await allPages({ language: 'fr' }, await staff('temiskaming', 'LINK_WORKER'));
      expect(french.length).toBeGreaterThan(0);
      expect(french.every((e) => e.node.languages.includes('fr'))).toBe(true);
      const none = await allPages({ language: 'zz' }, guelphLinkWorker);
      expect(none).toEqual([]);
    });

    it('finds a seeded asset near a point, nearest first, and leaves out one far away', async () => {
      const point = { latitude: 43.5448, longitude: -80.2482 };
      const edges = await allPages({ near: { ...point, withinKm: 10 } }, guelphLinkWorker);
      const ids = edges.map((e) => rawId(e.node.id));
      expect(ids).toContain(guelphToolLibrary.id);
      expect(ids).not.toContain(norwestSharedAsset.id);
      const distances = edges.map((e) => e.distanceKm as number);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(distances.every((d) => d <= 10)).toBe(true);
      const library = edges.find((e) => rawId(e.node.id) === guelphToolLibrary.id);
      expect(library?.distanceKm).toBeCloseTo(haversineKm(point, guelphToolLibrary as { latitude: number; longitude: number }), 6);
      // Ground truth: every live asset guelph may see within 10 km, and no other.
      const rows = await server.db.prisma.communityAsset.findMany({
        where: { retiredAt: null, latitude: { not: null }, OR: [{ tenantId: 'guelph' }, { visibility: 'NETWORK' }] },
      });
      const within = rows.filter((r) => haversineKm(point, r as { latitude: number; longitude: number }) <= 10).map((r) => r.id);
      expect(new Set(ids)).toEqual(new Set(within));
    });

    it('pages through distance order without gaps or repeats', async () => {
      const near = { latitude: 43.5448, longitude: -80.2482, withinKm: 10 };
      const whole = await allPages({ near }, guelphLinkWorker);
      const paged: string[] = [];
      let after: string | null | undefined = null;
      do {
        const result: Page = await graphql(server, list, { first: 2, near, after }, guelphLinkWorker);
        paged.push(...result.data!.communityAssets.edges.map((e) => e.node.id));
        after = result.data!.communityAssets.pageInfo.hasNextPage ? result.data!.communityAssets.pageInfo.endCursor : null;
      } while (after);
      expect(paged).toEqual(whole.map((e) => e.node.id));
    });

    it('reaches another site’s shared asset by distance, but never its own ones', async () => {
      const point = { latitude: norwestSharedAsset.latitude!, longitude: norwestSharedAsset.longitude! };
      const edges = await allPages({ near: { ...point, withinKm: 50 } }, guelphLinkWorker);
      expect(edges.map((e) => rawId(e.node.id))).toContain(norwestSharedAsset.id);
      expect(edges.every((e) => e.node.visibility === 'NETWORK')).toBe(true);
    });

    it('rejects coordinates out of range, naming the field', async () => {
      const result = await graphql(server, list, { near: { latitude: 91, longitude: -181, withinKm: 0 } }, guelphLinkWorker);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual(['near.latitude', 'near.longitude', 'near.withinKm']);
    });
  });

  describe('writing', () => {
    const asset = {
      name: 'Riverside Knitting Circle',
      kind: 'GROUP',
      categories: ['SOCIAL_ISOLATION', 'ARTS_AND_CULTURE'],
      latitude: 43.55,
      longitude: -80.25,
      postalCode: 'n1h6j2',
      website: 'https://example.org/knit',
      email: 'knit@example.org',
      languages: ['en'],
    } satisfies VariablesOf<typeof create>['input'];

    it.each(['LINK_WORKER', 'PROGRAM_COORDINATOR', 'SITE_ADMIN'])('a %s adds, changes and retires an asset of its own site', async (role) => {
      const headers = await staff('guelph', role);
      const created = await graphql(server, create, { input: { ...asset, name: `${asset.name} ${role}` } }, headers);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createCommunityAsset).toMatchObject({ visibility: 'SITE', postalCode: 'N1H 6J2', site: { slug: 'guelph' } });
      const id = created.data!.createCommunityAsset.id;
      const changed = await graphql(server, update, await versioned(server, id, { name: 'Riverside Knitters', latitude: null, longitude: null }), headers);
      expect(changed.errors).toBeUndefined();
      expect(changed.data!.updateCommunityAsset).toMatchObject({ name: 'Riverside Knitters', latitude: null, longitude: null });
      const retired = await graphql(server, retire, { id }, headers);
      expect(retired.data!.retireCommunityAsset.retired).toBe(true);
      const again = await graphql(server, retire, { id }, headers);
      expect(codes(again)).toEqual(['INVALID_TRANSITION']);
      const search = await allPages({ search: 'Riverside Knitters' }, headers);
      expect(search).toEqual([]);
      const withRetired = await allPages({ search: 'Riverside Knitters', includeRetired: true }, headers);
      expect(withRetired.map((e) => e.node.id)).toContain(id);
    });

    it('a shared asset appears at other sites, still read-only to them', async () => {
      const created = await graphql(server, create, { input: { ...asset, name: 'Guelph Shared Repair Café', visibility: 'NETWORK' } }, guelphLinkWorker);
      const id = created.data!.createCommunityAsset.id;
      const norwest = await staff('norwest', 'SITE_ADMIN');
      const seen = await allPages({ search: 'Guelph Shared Repair' }, norwest);
      expect(seen.map((e) => e.node.id)).toEqual([id]);
      const before = await assetRows();
      expect(codes(await graphql(server, update, await versioned(server, id, { name: 'Taken over' }), norwest))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, retire, { id }, norwest))).toEqual(['NOT_FOUND']);
      expect(await assetRows()).toEqual(before);
    });

    it('another site’s ids answer NOT_FOUND exactly like a nonexistent one, and nothing is written', async () => {
      const before = await assetRows();
      for (const target of [norwestSiteAsset.id, norwestSharedAsset.id, '00000000-0000-4000-8000-000000000000']) {
        const id = encodeGlobalID('CommunityAsset', target);
        const changed = await graphql(server, update, await versioned(server, id, { name: 'Hijacked' }), guelphLinkWorker);
        expect(codes(changed)).toEqual(['NOT_FOUND']);
        expect(changed.errors![0]!.message).toBe('Community asset not found');
        expect(codes(await graphql(server, retire, { id }, guelphLinkWorker))).toEqual(['NOT_FOUND']);
      }
      expect(codes(await graphql(server, retire, { id: encodeGlobalID('Program', norwestSiteAsset.id) }, guelphLinkWorker))).toEqual(['BAD_USER_INPUT']);
      expect(await assetRows()).toEqual(before);
    });

    it('roles outside the asset map, the Alliance and partners may not write', async () => {
      const before = await assetRows();
      const id = encodeGlobalID('CommunityAsset', guelphToolLibrary.id);
      const callers = [
        ...(await Promise.all(['HEALTH_CHAMPION', 'PRESCRIBER', 'DATA_COORDINATOR', 'PRIVACY_OFFICER'].map((role) => staff('guelph', role)))),
        await network('ALLIANCE_ADMIN'),
        await partner('teamcare', 'referrals:create referrals:read programs:read'),
      ];
      for (const headers of callers) {
        expect(codes(await graphql(server, create, { input: asset }, headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, update, await versioned(server, id, { name: 'x' }), headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, retire, { id }, headers))).toEqual(['FORBIDDEN']);
      }
      expect(await assetRows()).toEqual(before);
    });

    it('validation errors name each field and write nothing', async () => {
      const before = await assetRows();
      const result = await graphql(
        server,
        create,
        {
          input: {
            ...asset,
            name: ' ',
            latitude: 95,
            longitude: 200,
            website: 'javascript:alert(1)',
            email: 'not-an-email',
            postalCode: '12345',
            languages: ['English'],
          },
        },
        guelphLinkWorker,
      );
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(new Set(fieldsOf(result))).toEqual(
        new Set(['input.name', 'input.latitude', 'input.longitude', 'input.website', 'input.email', 'input.postalCode', 'input.languages.0']),
      );
      const half = await graphql(server, create, { input: { name: 'Half a point', kind: 'GROUP', latitude: 43.5 } }, guelphLinkWorker);
      expect(fieldsOf(half)).toEqual(['input.longitude']);
      const own = encodeGlobalID('CommunityAsset', guelphToolLibrary.id);
      const clearing = await graphql(server, update, await versioned(server, own, { latitude: null }), guelphLinkWorker);
      expect(fieldsOf(clearing)).toEqual(['input.latitude']);
      const nullName = await graphql(server, update, await versioned(server, own, { name: null }), guelphLinkWorker);
      expect(fieldsOf(nullName)).toEqual(['input.name']);
      expect(await assetRows()).toEqual(before);
    });
  });
});
