// The public HSDS 3.1 directory over the real HTTP server: the API's paged envelope, every record
// valid against the HSDS 3.1 JSON schemas (tests/data/hsds-3.1), nothing published as null, and only
// what the network shares — a site-only asset or a site's own program never appears (with the
// positive control of the same asset once shared).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hsdsId } from '../src/directory/hsds-export.js';
import { hsdsPageErrors, hsdsProperties, hsdsSchemaErrors } from './support/hsds-schema.js';
import { startTestServer, type TestServer } from './support/server.js';

type Json = Record<string, any>;
type Page = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Json[];
};

const lists = {
  services: ['compiled/service_list.json', 'service.json'],
  organizations: ['compiled/organization_list.json', 'organization.json'],
  locations: ['location.json', 'location.json'],
  service_at_locations: ['compiled/service_at_location_list.json', 'service_at_location.json'],
} as const;
type List = keyof typeof lists;

/** Paths of every null in a value: absent optional fields are left out instead. */
function nulls(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulls(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as Json).flatMap(([k, v]) => nulls(v, `${path}.${k}`));
  return [];
}

describe('HSDS 3.1 directory', () => {
  let server: TestServer;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}/hsds${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const all = async (list: List, full = false) => {
    const records: Json[] = [];
    for (let page = 1; ; page++) {
      const { status, body } = await get(`/${list}?per_page=100&page=${page}${full ? '&full=true' : ''}`);
      expect(status).toBe(200);
      records.push(...(body as Page).contents);
      if ((body as Page).last_page) return records;
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('is public, in the HSDS API’s page envelope, every record valid against the HSDS 3.1 schemas', { timeout: 120_000 }, async () => {
    for (const [list, [listSchema, fullSchema]] of Object.entries(lists) as [List, readonly [string, string]][]) {
      const { status, body } = await get(`/${list}?per_page=3`);
      expect(status, list).toBe(200);
      expect(body.contents.length, list).toBeGreaterThan(0);
      expect(hsdsPageErrors(listSchema, body), list).toEqual([]);
      const records = await all(list);
      const full = await all(list, true);
      expect(full.map((r) => r.id)).toEqual(records.map((r) => r.id));
      const declared = new Set(hsdsProperties(listSchema));
      for (const record of records)
        expect(
          Object.keys(record).filter((k) => !declared.has(k)),
          list,
        ).toEqual([]);
      expect(
        full.flatMap((record) => hsdsSchemaErrors(fullSchema, record)),
        list,
      ).toEqual([]);
      expect(nulls([...records, ...full]), list).toEqual([]);
      // One record by id answers as the full record.
      const one = await get(`/${list}/${records[0]!.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(full[0]);
    }
  });

  it('pages with page and per_page; refuses a bad page size; an unknown id is 404', async () => {
    const first = (await get('/services?per_page=2')).body as Page;
    expect(first).toMatchObject({ page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
    expect(first.total_pages).toBe(Math.ceil(first.total_items / 2));
    const last = (await get(`/services?per_page=2&page=${first.total_pages}`)).body as Page;
    expect(last).toMatchObject({ page_number: first.total_pages, first_page: first.total_pages === 1, last_page: true });
    const beyond = (await get(`/services?per_page=2&page=${first.total_pages + 1}`)).body as Page;
    expect(beyond).toMatchObject({ size: 0, empty: true, contents: [] });
    for (const bad of ['per_page=0', 'per_page=101', 'page=0', 'page=x']) {
      const { status, body } = await get(`/services?${bad}`);
      expect(status, bad).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    const unknown = await get(`/services/${hsdsId('nothing')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lists network programs and shared assets only: never a site-only or retired asset, nor a site’s own program', async () => {
    const owner = server.db.prisma;
    const shared = await owner.communityAsset.findMany({ where: { visibility: 'NETWORK', retiredAt: null }, select: { id: true } });
    const siteOnly = await owner.communityAsset.findMany({ where: { visibility: 'SITE' }, select: { id: true } });
    const networkPrograms = await owner.program.findMany({ where: { tenantId: null, active: true }, select: { id: true } });
    const sitePrograms = await owner.program.findMany({ where: { tenantId: { not: null } }, select: { id: true } });
    expect(shared.length * siteOnly.length * networkPrograms.length * sitePrograms.length).toBeGreaterThan(0);

    const serviceIds = new Set((await all('services')).map((s) => s.id));
    const locationIds = new Set((await all('locations')).map((l) => l.id));
    const expected = [...networkPrograms.map((p) => p.id), ...shared.map((a) => hsdsId('asset-service', a.id))];
    expect(serviceIds).toEqual(new Set(expected));
    for (const asset of siteOnly) {
      expect(serviceIds.has(hsdsId('asset-service', asset.id))).toBe(false);
      expect(locationIds.has(asset.id)).toBe(false);
    }
    for (const program of sitePrograms) expect(serviceIds.has(program.id)).toBe(false);

    // Positive control on the same row: shared, it appears; retired or site-only again, it is gone.
    const asset = await owner.communityAsset.findFirstOrThrow({ where: { visibility: 'SITE', retiredAt: null }, select: { id: true } });
    const service = hsdsId('asset-service', asset.id);
    await owner.communityAsset.update({ where: { id: asset.id }, data: { visibility: 'NETWORK' } });
    expect((await get(`/services/${service}`)).status).toBe(200);
    expect((await get(`/locations/${asset.id}`)).status).toBe(200);
    await owner.communityAsset.update({ where: { id: asset.id }, data: { retiredAt: new Date() } });
    expect((await get(`/services/${service}`)).status).toBe(404);
    await owner.communityAsset.update({ where: { id: asset.id }, data: { visibility: 'SITE', retiredAt: null } });
    expect((await get(`/services/${service}`)).status).toBe(404);
    expect((await get(`/locations/${asset.id}`)).status).toBe(404);
  });

  it('maps capacity, cost level, service area and the site’s language', async () => {
    const owner = server.db.prisma;
    const withCapacity = await owner.program.findFirstOrThrow({ where: { tenantId: null, active: true, capacity: { not: null } } });
    const program = (await get(`/services/${withCapacity.id}`)).body;
    expect(program.capacities).toEqual([
      expect.objectContaining({ maximum: withCapacity.capacity, available: withCapacity.capacity, unit: expect.objectContaining({ name: 'places' }) }),
    ]);
    expect(program.service_areas).toEqual([expect.objectContaining({ name: 'Ontario' })]);
    expect(program.cost_options[0]).toMatchObject({ option: expect.any(String) });

    // A shared asset of the francophone site that names no language is listed in the site's languages.
    const asset = await owner.communityAsset.create({
      data: {
        tenantId: 'temiskaming',
        name: 'Sentier de la rivière',
        kind: 'PUBLIC_SPACE',
        categories: ['NATURE'],
        cost: 'FREE',
        languages: [],
        visibility: 'NETWORK',
      },
    });
    const service = (await get(`/services/${hsdsId('asset-service', asset.id)}`)).body;
    expect(service.languages.map((l: Json) => l.code)).toEqual(['fr', 'en']);
    const site = await owner.tenant.findUniqueOrThrow({ where: { id: 'temiskaming' } });
    expect(service.service_areas).toEqual([expect.objectContaining({ name: site.servesArea ?? site.city })]);
    expect(service.cost_options).toEqual([expect.objectContaining({ option: 'Free', amount: 0, currency: 'CAD' })]);
    expect(service.description).toBeUndefined();
    expect(service.url).toBeUndefined();
    expect(hsdsSchemaErrors('service.json', service)).toEqual([]);
  });
});
