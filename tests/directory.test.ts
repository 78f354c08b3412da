// The directory, tried the way an attacker would: partners and partnerships, programs and Health
// Champions. Another site's rows never come out, network ones do, writes stay within what the
// caller keeps, wrong roles are FORBIDDEN, and bad input names its field. Assets: directory-assets.test.ts.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.js';
import { principalSettingsSql } from '../src/db/principal-settings.js';
import { openRequestScope } from '../src/db/request-scope.js';
import { gql, type ResultOf, type VariablesOf } from './support/graphql.js';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { versioned } from './support/versions.js';
import { network, partner, staff } from './support/tokens.js';

const fieldsOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const teamcareAll = () => partner('teamcare', 'referrals:create referrals:read programs:read');

/** The HSDS 3.1 tables of `directoryExport`, with the columns checked here. */
type Hsds = {
  hsds_version: string;
  organization: { id: string; name: string }[];
  program: { id: string }[];
  service: { id: string; name: string; organization_id: string; status: string; attributes: { taxonomy_term_id: string }[] }[];
  location: { id: string; name: string }[];
  service_at_location: { id: string; service_id: string; location_id: string }[];
  taxonomy: { id: string }[];
  taxonomy_term: { id: string; taxonomy_id: string }[];
};
type HsdsTable = Exclude<keyof Hsds, 'hsds_version'>;

describe('directory', () => {
  let server: TestServer;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    server = await startTestServer();
    const owner = server.db.prisma;
    snapshot = async () => ({
      partners: await owner.partnerOrganization.findMany({ orderBy: { id: 'asc' } }),
      partnerships: await owner.partnership.findMany({ orderBy: { id: 'asc' } }),
      programs: await owner.program.findMany({ orderBy: { id: 'asc' } }),
      champions: await owner.healthChampion.findMany({ orderBy: { id: 'asc' } }),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('partner organizations', () => {
    const create = gql('mutation($input: CreatePartnerOrganizationInput!) { createPartnerOrganization(input: $input) { id slug name addedBySite { slug } } }');
    const update = gql('mutation($input: UpdatePartnerOrganizationInput!) { updatePartnerOrganization(input: $input) { slug name website } }');
    const org = (slug: string) => ({ slug, name: `Org ${slug}`, kind: 'COMMUNITY_GROUP' as const, website: 'https://example.org/org' });
    const id = (slug: string) => encodeGlobalID('PartnerOrganization', slug);

    it('the Alliance admin adds and changes network-level partners', async () => {
      const admin = await network('ALLIANCE_ADMIN');
      const created = await graphql(server, create, { input: org('ontario-parks') }, admin);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createPartnerOrganization).toMatchObject({ slug: 'ontario-parks', addedBySite: null });
      const changed = await graphql(server, update, await versioned(server, id('rom'), { name: 'ROM', website: null }), admin);
      expect(changed.data!.updatePartnerOrganization).toEqual({ slug: 'rom', name: 'ROM', website: null });
      const before = await snapshot();
      expect(codes(await graphql(server, update, await versioned(server, id('rideau-lakes-anglers'), { name: 'x' }), admin))).toEqual(['FORBIDDEN']);
      expect(await snapshot()).toEqual(before);
    });

    it('a site admin adds a local partner and changes only its own site’s', async () => {
      const guelphAdmin = await staff('guelph', 'SITE_ADMIN');
      const created = await graphql(server, create, { input: org('guelph-repair-cafe') }, guelphAdmin);
      expect(created.data!.createPartnerOrganization.addedBySite).toEqual({ slug: 'guelph' });
      expect(
        (await graphql(server, update, await versioned(server, id('guelph-repair-cafe'), { name: 'Guelph Repair Café' }), guelphAdmin)).errors,
      ).toBeUndefined();
      const before = await snapshot();
      const foreign = await graphql(server, update, await versioned(server, id('rideau-lakes-anglers'), { name: 'Taken' }), guelphAdmin);
      const missing = await graphql(server, update, await versioned(server, id('no-such-partner'), { name: 'Taken' }), guelphAdmin);
      expect(codes(foreign)).toEqual(['NOT_FOUND']);
      expect(foreign.errors![0]!.message).toBe(missing.errors![0]!.message);
      expect(codes(await graphql(server, update, await versioned(server, id('teamcare'), { name: 'Taken' }), guelphAdmin))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, create, { input: org('guelph-repair-cafe') }, guelphAdmin))).toEqual(['CONFLICT']);
      expect(await snapshot()).toEqual(before);
    });

    it('no one else writes partners', async () => {
      const before = await snapshot();
      for (const headers of [
        await network('ALLIANCE_ANALYST'),
        await staff('guelph', 'LINK_WORKER'),
        await staff('guelph', 'PROGRAM_COORDINATOR'),
        await teamcareAll(),
      ]) {
        expect(codes(await graphql(server, create, { input: org('intruder') }, headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, update, await versioned(server, id('teamcare'), { name: 'x' }), headers))).toEqual(['FORBIDDEN']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('row-level security alone keeps partner writes to who keeps them', async () => {
      /** Raw SQL in a request transaction as the principal; rolled back. Returns rows changed, or the error. */
      const asPrincipal = async (principal: Principal, sql: string) => {
        const [settings, ...params] = principalSettingsSql(principal);
        const scope = await openRequestScope(server.db.prisma, (tx) => tx.$executeRawUnsafe(settings, ...params).then(() => {}), {
          maxWaitMs: 10_000,
          timeoutMs: 30_000,
        });
        try {
          return await scope.db.$executeRawUnsafe(sql).catch((error: Error) => error);
        } finally {
          await scope.finish(false).catch(() => {});
        }
      };
      const guelph = (...roles: string[]) => ({ kind: 'STAFF', subject: 'guelph.x', tenantId: 'guelph', roles }) as Principal;
      const insert = (addedBy: string) =>
        `INSERT INTO "PartnerOrganization" (id, name, kind, "addedByTenantId", "updatedAt") VALUES ('rls-probe', 'Probe', 'COMMUNITY_GROUP', ${addedBy}, now())`;
      const rename = (id: string) => `UPDATE "PartnerOrganization" SET name = 'Renamed' WHERE id = '${id}'`;
      expect(await asPrincipal(guelph('SITE_ADMIN'), insert(`'guelph'`))).toBe(1);
      expect(await asPrincipal(guelph('SITE_ADMIN'), insert(`'norwest'`))).toBeInstanceOf(Error);
      expect(await asPrincipal(guelph('SITE_ADMIN'), insert('NULL'))).toBeInstanceOf(Error);
      expect(await asPrincipal(guelph('LINK_WORKER', 'PROGRAM_COORDINATOR'), insert(`'guelph'`))).toBeInstanceOf(Error);
      expect(await asPrincipal({ kind: 'NETWORK', subject: 'a', roles: ['ALLIANCE_ANALYST'] }, insert('NULL'))).toBeInstanceOf(Error);
      expect(await asPrincipal({ kind: 'NETWORK', subject: 'a', roles: ['ALLIANCE_ADMIN'] }, insert('NULL'))).toBe(1);
      expect(
        await asPrincipal(
          { kind: 'PARTNER', subject: 'p', partnerId: 'teamcare', scopes: ['referrals:create', 'referrals:read', 'programs:read'] },
          rename('teamcare'),
        ),
      ).toBe(0);
      expect(await asPrincipal(guelph('SITE_ADMIN'), rename('rom'))).toBe(0);
      expect(await asPrincipal(guelph('SITE_ADMIN'), rename('rideau-lakes-anglers'))).toBe(0);
      expect(await asPrincipal({ kind: 'NETWORK', subject: 'a', roles: ['ALLIANCE_ADMIN'] }, rename('rideau-lakes-anglers'))).toBe(0);
      expect(await asPrincipal({ kind: 'NETWORK', subject: 'a', roles: ['ALLIANCE_ADMIN'] }, 'DELETE FROM "PartnerOrganization" WHERE id = \'tso\'')).toBe(0);
    });

    it('validation errors name the field', async () => {
      const result = await graphql(server, create, { input: { ...org('Bad Slug!'), name: '', website: 'ftp://example.org' } }, await network('ALLIANCE_ADMIN'));
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(new Set(fieldsOf(result))).toEqual(new Set(['input.slug', 'input.name', 'input.website']));
    });
  });

  describe('partnerships', () => {
    const list = gql(
      'query($activeOnly: Boolean) { partnerships(first: 100, activeOnly: $activeOnly) { edges { node { id scopes active site { slug } partner { slug } } } } }',
    );
    const create = gql(
      'mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id scopes active note site { slug } partner { slug } } }',
    );
    const update = gql('mutation($input: UpdatePartnershipInput!) { updatePartnership(input: $input) { id scopes active note } }');
    const partnerId = (slug: string) => encodeGlobalID('PartnerOrganization', slug);
    let norwestTeamcare: string;

    beforeAll(async () => {
      norwestTeamcare = encodeGlobalID(
        'Partnership',
        (await server.db.prisma.partnership.findFirstOrThrow({ where: { tenantId: 'norwest', partnerId: 'teamcare' } })).id,
      );
    });

    it('site staff see their site’s, the Alliance all, a partner its own without the site’s note', async () => {
      const owner = server.db.prisma;
      const guelph = await graphql(server, list, {}, await staff('guelph', 'HEALTH_CHAMPION'));
      expect(guelph.data!.partnerships.edges.map((e) => rawId(e.node.id)).sort()).toEqual(
        (await owner.partnership.findMany({ where: { tenantId: 'guelph' } })).map((p) => p.id).sort(),
      );
      const alliance = await graphql(server, list, {}, await network('ALLIANCE_ANALYST'));
      expect(alliance.data!.partnerships.edges.length).toBe(await owner.partnership.count());
      const teamcare = await graphql(server, list, {}, await partner('teamcare', 'referrals:read'));
      expect(new Set(teamcare.data!.partnerships.edges.map((e) => e.node.partner.slug))).toEqual(new Set(['teamcare']));
      // Other tests here may partner Guelph with TeamCare first: the owner's rows say which sites to expect.
      const teamcareSites = (await owner.partnership.findMany({ where: { partnerId: 'teamcare' } })).map((p) => p.tenantId);
      expect(teamcareSites).toContain('norwest');
      expect(teamcare.data!.partnerships.edges.map((e) => e.node.site.slug).sort()).toEqual(teamcareSites.sort());
      expect(codes(await graphql(server, gql('{ partnerships(first: 5) { edges { node { note } } } }'), {}, await teamcareAll()))).toContain('FORBIDDEN');
      const node = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on Partnership { scopes } } }'),
        { id: norwestTeamcare },
        await staff('guelph', 'SITE_ADMIN'),
      );
      expect(node.data!.node).toBeNull();
    });

    it('a site admin partners its own site, and the partner’s access follows the partnership', async () => {
      const guelphAdmin = await staff('guelph', 'SITE_ADMIN');
      const reader = await partner('teamcare', 'programs:read');
      const guelphProgramsSeenByTeamcare = async () =>
        (await graphql(server, gql('{ programs(first: 100) { edges { node { site { slug } } } } }'), {}, reader)).data!.programs.edges.filter(
          (e) => e.node.site?.slug === 'guelph',
        ).length;
      expect(await guelphProgramsSeenByTeamcare()).toBe(0);
      const created = await graphql(
        server,
        create,
        { input: { partnerId: partnerId('teamcare'), scopes: ['PROGRAMS_READ', 'PROGRAMS_READ'], note: 'pilot' } },
        guelphAdmin,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createPartnership).toMatchObject({
        scopes: ['PROGRAMS_READ'],
        active: true,
        site: { slug: 'guelph' },
        partner: { slug: 'teamcare' },
      });
      expect(await guelphProgramsSeenByTeamcare()).toBeGreaterThan(0);
      const paused = await graphql(server, update, await versioned(server, created.data!.createPartnership.id, { active: false, note: null }), guelphAdmin);
      expect(paused.data!.updatePartnership).toMatchObject({ active: false, note: null });
      expect(await guelphProgramsSeenByTeamcare()).toBe(0);
      expect(codes(await graphql(server, create, { input: { partnerId: partnerId('teamcare'), scopes: [] } }, guelphAdmin))).toEqual(['CONFLICT']);
    });

    it('guelph’s admin cannot touch norwest’s partnership or partner with another site’s local partner', async () => {
      const guelphAdmin = await staff('guelph', 'SITE_ADMIN');
      const before = await snapshot();
      const foreign = await graphql(server, update, await versioned(server, norwestTeamcare, { scopes: [], active: false }), guelphAdmin);
      expect(codes(foreign)).toEqual(['NOT_FOUND']);
      const missing = await graphql(
        server,
        update,
        await versioned(server, encodeGlobalID('Partnership', '00000000-0000-4000-8000-000000000000'), { active: false }),
        guelphAdmin,
      );
      expect(foreign.errors![0]!.message).toBe(missing.errors![0]!.message);
      expect(codes(await graphql(server, create, { input: { partnerId: partnerId('rideau-lakes-anglers'), scopes: ['PROGRAMS_READ'] } }, guelphAdmin))).toEqual(
        ['NOT_FOUND'],
      );
      expect(codes(await graphql(server, create, { input: { partnerId: encodeGlobalID('Program', 'teamcare'), scopes: [] } }, guelphAdmin))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it('only a site admin writes partnerships', async () => {
      const before = await snapshot();
      const callers = [
        await staff('norwest', 'LINK_WORKER'),
        await staff('norwest', 'PROGRAM_COORDINATOR'),
        await network('ALLIANCE_ADMIN'),
        await teamcareAll(),
      ];
      for (const headers of callers) {
        expect(codes(await graphql(server, create, { input: { partnerId: partnerId('rom'), scopes: ['PROGRAMS_READ'] } }, headers))).toEqual(['FORBIDDEN']);
        expect(
          codes(
            await graphql(
              server,
              update,
              await versioned(server, norwestTeamcare, { scopes: ['REFERRALS_CREATE', 'REFERRALS_READ', 'PROGRAMS_READ'] }),
              headers,
            ),
          ),
        ).toEqual(['FORBIDDEN']);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('programs', () => {
    const list =
      gql(`query($need: Need, $runBy: ProgramRunner, $language: String, $cost: CostLevel, $search: String, $level: ProgramLevel, $activeOnly: Boolean) {
      programs(first: 100, need: $need, runBy: $runBy, language: $language, cost: $cost, search: $search, level: $level, activeOnly: $activeOnly) {
        edges { node { id name runBy needs languages cost active isNetworkProgram site { slug } partner { slug } healthChampion { displayName } } }
      }
    }`);
    const create = gql(
      'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id name runBy isNetworkProgram site { slug } partner { slug } healthChampion { displayName } } }',
    );
    const update = gql(
      'mutation($input: UpdateProgramInput!) { updateProgram(input: $input) { id name runBy active partner { slug } healthChampion { displayName } } }',
    );
    const deactivate = gql('mutation($id: ID!) { deactivateProgram(id: $id) { id active } }');
    let guelphChampion: string;
    let norwestChampion: string;
    let norwestProgram: string;
    let networkProgram: string;
    const names = (result: GraphQLResponse<ResultOf<typeof list>>) => result.data!.programs.edges.map((e) => e.node);

    beforeAll(async () => {
      const owner = server.db.prisma;
      guelphChampion = encodeGlobalID('HealthChampion', (await owner.healthChampion.findFirstOrThrow({ where: { tenantId: 'guelph' } })).id);
      norwestChampion = encodeGlobalID('HealthChampion', (await owner.healthChampion.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id);
      norwestProgram = encodeGlobalID('Program', (await owner.program.findFirstOrThrow({ where: { tenantId: 'norwest', active: true } })).id);
      networkProgram = encodeGlobalID('Program', (await owner.program.findFirstOrThrow({ where: { tenantId: null, active: true } })).id);
    });

    it('a site sees its own programs and the network’s, never another site’s', async () => {
      const result = await graphql(server, list, { activeOnly: false }, await staff('guelph', 'HEALTH_CHAMPION'));
      const nodes = names(result);
      const expected = await server.db.prisma.program.findMany({ where: { OR: [{ tenantId: 'guelph' }, { tenantId: null }] } });
      expect(nodes.map((n) => rawId(n.id)).sort()).toEqual(expected.map((p) => p.id).sort());
      const nodesResult = await graphql(
        server,
        gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }'),
        { ids: [norwestProgram, networkProgram] },
        await staff('guelph', 'LINK_WORKER'),
      );
      expect(nodesResult.data!.nodes).toEqual([null, { id: networkProgram }]);
    });

    it('filters by need, runner, language, cost, text and level', async () => {
      const headers = await staff('guelph', 'LINK_WORKER');
      const byRunner = names(await graphql(server, list, { runBy: 'HEALTH_CHAMPION' }, headers));
      expect(byRunner.length).toBeGreaterThan(0);
      expect(byRunner.every((p) => p.runBy === 'HEALTH_CHAMPION' && p.healthChampion)).toBe(true);
      const byText = names(await graphql(server, list, { search: 'crochet' }, headers));
      expect(byText.map((p) => p.name)).toEqual(['Soup and Crochet Social with Grandma Penny']);
      expect(byText[0]?.healthChampion?.displayName).toBe('Penny Example');
      const byCost = names(await graphql(server, list, { cost: 'SLIDING_SCALE' }, headers));
      expect(byCost.map((p) => p.name)).toContain('The SEED Community Food Project');
      expect(byCost.every((p) => p.cost === 'SLIDING_SCALE')).toBe(true);
      const byNeed = names(await graphql(server, list, { need: 'FOOD' }, headers));
      expect(byNeed.every((p) => p.needs.includes('FOOD'))).toBe(true);
      const french = names(await graphql(server, list, { language: 'fr' }, await staff('temiskaming', 'LINK_WORKER')));
      expect(french.length).toBeGreaterThan(0);
      expect(french.every((p) => p.languages.includes('fr'))).toBe(true);
      const site = names(await graphql(server, list, { level: 'SITE' }, headers));
      const net = names(await graphql(server, list, { level: 'NETWORK' }, headers));
      expect(site.length).toBeGreaterThan(0);
      expect(net.length).toBeGreaterThan(0);
      expect(site.every((p) => !p.isNetworkProgram && p.site?.slug === 'guelph')).toBe(true);
      expect(net.every((p) => p.isNetworkProgram && p.site === null)).toBe(true);
    });

    it('a program coordinator adds site programs, led by the site, a partner or one of its own champions', async () => {
      const coordinator = await staff('guelph', 'PROGRAM_COORDINATOR');
      const bySite = await graphql(
        server,
        create,
        { input: { name: 'Guelph Chair Yoga', runBy: 'SITE', needs: ['PHYSICAL_ACTIVITY'], languages: ['en'], capacity: 12 } },
        coordinator,
      );
      expect(bySite.data!.createProgram).toMatchObject({ runBy: 'SITE', isNetworkProgram: false, site: { slug: 'guelph' }, partner: null });
      const byChampion = await graphql(
        server,
        create,
        { input: { name: 'Guelph Knit Night', runBy: 'HEALTH_CHAMPION', healthChampionId: guelphChampion } },
        coordinator,
      );
      expect(byChampion.data!.createProgram.healthChampion?.displayName).toBeTruthy();
      const byPartner = await graphql(
        server,
        create,
        { input: { name: 'Guelph Gallery Visits', runBy: 'PARTNER', partnerId: encodeGlobalID('PartnerOrganization', 'ago') } },
        await staff('guelph', 'SITE_ADMIN'),
      );
      expect(byPartner.data!.createProgram.partner).toEqual({ slug: 'ago' });
      const changed = await graphql(server, update, await versioned(server, byPartner.data!.createProgram.id, { runBy: 'SITE' }), coordinator);
      expect(changed.data!.updateProgram).toMatchObject({ runBy: 'SITE', partner: null });
      expect((await graphql(server, deactivate, { id: bySite.data!.createProgram.id }, coordinator)).data!.deactivateProgram.active).toBe(false);
      expect(codes(await graphql(server, deactivate, { id: bySite.data!.createProgram.id }, coordinator))).toEqual(['INVALID_TRANSITION']);
      expect(
        (await graphql(server, update, await versioned(server, bySite.data!.createProgram.id, { active: true }), coordinator)).data!.updateProgram.active,
      ).toBe(true);
    });

    it('another site’s champion, program or local partner answers NOT_FOUND and nothing is written', async () => {
      const coordinator = await staff('guelph', 'PROGRAM_COORDINATOR');
      const before = await snapshot();
      expect(
        codes(await graphql(server, create, { input: { name: 'Stolen', runBy: 'HEALTH_CHAMPION', healthChampionId: norwestChampion } }, coordinator)),
      ).toEqual(['NOT_FOUND']);
      expect(
        codes(
          await graphql(
            server,
            create,
            { input: { name: 'Stolen', runBy: 'PARTNER', partnerId: encodeGlobalID('PartnerOrganization', 'rideau-lakes-anglers') } },
            coordinator,
          ),
        ),
      ).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, update, await versioned(server, norwestProgram, { name: 'Stolen' }), coordinator))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, deactivate, { id: norwestProgram }, coordinator))).toEqual(['NOT_FOUND']);
      const own = encodeGlobalID('Program', (await server.db.prisma.program.findFirstOrThrow({ where: { tenantId: 'guelph', runBy: 'HEALTH_CHAMPION' } })).id);
      expect(codes(await graphql(server, update, await versioned(server, own, { healthChampionId: norwestChampion }), coordinator))).toEqual(['NOT_FOUND']);
      expect(await snapshot()).toEqual(before);
    });

    it('network programs: the Alliance admin keeps them, every site sees them, sites cannot change them', async () => {
      const admin = await network('ALLIANCE_ADMIN');
      const created = await graphql(
        server,
        create,
        { input: { name: 'Network Nature Walks', runBy: 'PARTNER', partnerId: encodeGlobalID('PartnerOrganization', 'ecohealth-ontario'), needs: ['NATURE'] } },
        admin,
      );
      expect(created.data!.createProgram).toMatchObject({ isNetworkProgram: true, site: null });
      const seen = names(await graphql(server, list, { search: 'Network Nature Walks' }, await staff('norwest', 'LINK_WORKER')));
      expect(seen.map((p) => p.id)).toEqual([created.data!.createProgram.id]);
      const before = await snapshot();
      expect(codes(await graphql(server, update, await versioned(server, networkProgram, { name: 'Ours now' }), await staff('guelph', 'SITE_ADMIN')))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await graphql(server, deactivate, { id: networkProgram }, await staff('guelph', 'PROGRAM_COORDINATOR')))).toEqual(['FORBIDDEN']);
      expect(codes(await graphql(server, update, await versioned(server, norwestProgram, { name: 'Ours now' }), admin))).toEqual(['NOT_FOUND']);
      const championLed = await graphql(server, create, { input: { name: 'x', runBy: 'HEALTH_CHAMPION', healthChampionId: guelphChampion } }, admin);
      expect(fieldsOf(championLed)).toEqual(['input.runBy']);
      expect(await snapshot()).toEqual(before);
    });

    it('other roles, the analyst and partners write no programs', async () => {
      const before = await snapshot();
      const callers = [
        await staff('guelph', 'LINK_WORKER'),
        await staff('guelph', 'HEALTH_CHAMPION'),
        await staff('guelph', 'PRESCRIBER'),
        await network('ALLIANCE_ANALYST'),
        await teamcareAll(),
      ];
      for (const headers of callers) {
        expect(codes(await graphql(server, create, { input: { name: 'x', runBy: 'SITE' } }, headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, update, await versioned(server, networkProgram, { name: 'x' }), headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, deactivate, { id: networkProgram }, headers))).toEqual(['FORBIDDEN']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('validation errors name the field', async () => {
      const coordinator = await staff('guelph', 'PROGRAM_COORDINATOR');
      const before = await snapshot();
      const bad = await graphql(server, create, { input: { name: ' ', runBy: 'SITE', capacity: 0, languages: ['French'] } }, coordinator);
      expect(new Set(fieldsOf(bad))).toEqual(new Set(['input.name', 'input.capacity', 'input.languages.0']));
      expect(fieldsOf(await graphql(server, create, { input: { name: 'x', runBy: 'PARTNER' } }, coordinator))).toEqual(['input.partnerId']);
      expect(fieldsOf(await graphql(server, create, { input: { name: 'x', runBy: 'SITE', healthChampionId: guelphChampion } }, coordinator))).toEqual([
        'input.healthChampionId',
      ]);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('Health Champions', () => {
    const list = gql('{ healthChampions(first: 100, activeOnly: false) { edges { node { id displayName gifts site { slug } programs { name } } } } }');
    const create = gql('mutation($input: CreateHealthChampionInput!) { createHealthChampion(input: $input) { id displayName gifts active site { slug } } }');
    const update = gql('mutation($input: UpdateHealthChampionInput!) { updateHealthChampion(input: $input) { id displayName active } }');
    let norwestChampion: string;
    let guelphClient: string;
    let norwestClient: string;

    beforeAll(async () => {
      const owner = server.db.prisma;
      norwestChampion = encodeGlobalID('HealthChampion', (await owner.healthChampion.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id);
      guelphClient = encodeGlobalID('Client', (await owner.client.findFirstOrThrow({ where: { tenantId: 'guelph' } })).id);
      norwestClient = encodeGlobalID('Client', (await owner.client.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id);
    });

    it('site staff see their own site’s champions and the programs they lead; nobody else sees any', async () => {
      const result = await graphql(server, list, {}, await staff('guelph', 'HEALTH_CHAMPION'));
      const nodes = result.data!.healthChampions.edges.map((e) => e.node);
      const expected = await server.db.prisma.healthChampion.findMany({ where: { tenantId: 'guelph' } });
      expect(nodes.map((n) => rawId(n.id)).sort()).toEqual(expected.map((c) => c.id).sort());
      expect(nodes.find((n) => n.displayName === 'Penny Example')!.programs.map((p) => p.name)).toContain('Soup and Crochet Social with Grandma Penny');
      const node = await graphql(
        server,
        gql('query($id: ID!) { node(id: $id) { ... on HealthChampion { displayName } } }'),
        { id: norwestChampion },
        await staff('guelph', 'SITE_ADMIN'),
      );
      expect(node.data!.node).toBeNull();
      for (const headers of [await network('ALLIANCE_ADMIN'), await teamcareAll()]) {
        expect(codes(await graphql(server, list, {}, headers))).toEqual(['FORBIDDEN']);
      }
    });

    it('the client link is health information: read by PHI roles only', async () => {
      const query = gql('{ healthChampions(first: 100) { edges { node { displayName client { id } } } } }');
      const linkWorker = await graphql(server, query, {}, await staff('guelph', 'LINK_WORKER'));
      expect(linkWorker.errors).toBeUndefined();
      expect(linkWorker.data!.healthChampions.edges.some((e) => e.node.client)).toBe(true);
      const coordinator = await graphql(server, query, {}, await staff('guelph', 'PROGRAM_COORDINATOR'));
      expect(codes(coordinator)).toContain('FORBIDDEN');
      expect(JSON.stringify(coordinator.data ?? {})).not.toContain('"client":{');
    });

    it('a program coordinator welcomes and changes champions of its own site only', async () => {
      const coordinator = await staff('guelph', 'PROGRAM_COORDINATOR');
      const created = await graphql(server, create, { input: { displayName: 'Robin Example', gifts: ['guitar'] } }, coordinator);
      expect(created.data!.createHealthChampion).toMatchObject({ displayName: 'Robin Example', active: true, site: { slug: 'guelph' } });
      const changed = await graphql(
        server,
        update,
        await versioned(server, created.data!.createHealthChampion.id, { active: false }),
        await staff('guelph', 'SITE_ADMIN'),
      );
      expect(changed.data!.updateHealthChampion.active).toBe(false);
      const before = await snapshot();
      const foreign = await graphql(server, update, await versioned(server, norwestChampion, { displayName: 'Taken' }), coordinator);
      expect(codes(foreign)).toEqual(['NOT_FOUND']);
      // Linking a client needs a role that reads client records; another site's client is not found.
      expect(codes(await graphql(server, create, { input: { displayName: 'Linked', clientId: guelphClient } }, coordinator))).toEqual(['FORBIDDEN']);
      const both = await staff('guelph', 'PROGRAM_COORDINATOR', 'LINK_WORKER');
      expect(codes(await graphql(server, create, { input: { displayName: 'Linked', clientId: norwestClient } }, both))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, update, await versioned(server, created.data!.createHealthChampion.id, { clientId: norwestClient }), both))).toEqual([
        'NOT_FOUND',
      ]);
      expect(fieldsOf(await graphql(server, create, { input: { displayName: '  ' } }, coordinator))).toEqual(['input.displayName']);
      expect(await snapshot()).toEqual(before);
      const linked = await graphql(
        server,
        gql('mutation($input: CreateHealthChampionInput!) { createHealthChampion(input: $input) { client { id } } }'),
        { input: { displayName: 'Linked', clientId: guelphClient } },
        both,
      );
      expect(linked.data!.createHealthChampion.client?.id).toBe(guelphClient);
    });

    it('other roles write no champions', async () => {
      const before = await snapshot();
      for (const headers of [
        await staff('guelph', 'LINK_WORKER'),
        await staff('guelph', 'HEALTH_CHAMPION'),
        await network('ALLIANCE_ADMIN'),
        await teamcareAll(),
      ]) {
        expect(codes(await graphql(server, create, { input: { displayName: 'x' } }, headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, update, await versioned(server, norwestChampion, { displayName: 'x' }), headers))).toEqual(['FORBIDDEN']);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('HSDS export', () => {
    const exportQuery = gql('{ directoryExport }');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const createAsset = gql('mutation($input: CreateCommunityAssetInput!) { createCommunityAsset(input: $input) { id } }');

    it('gives a site its running programs, partners and shared assets in HSDS 3.1 shape, nothing of other sites', async () => {
      const guelph = await staff('guelph', 'LINK_WORKER');
      const asset = {
        kind: 'GROUP',
        categories: ['SOCIAL_ISOLATION'],
        address: '12 Example Street',
        city: 'Guelph',
        postalCode: 'N1H 1A1',
        latitude: 43.55,
        longitude: -80.25,
        phone: '(519) 555-0101',
        languages: ['en'],
      } satisfies Partial<VariablesOf<typeof createAsset>['input']>;
      await graphql(server, createAsset, { input: { ...asset, name: 'Guelph Shared Men’s Shed', visibility: 'NETWORK' } }, guelph);
      await graphql(server, createAsset, { input: { ...asset, name: 'Guelph Private Porch Visits' } }, guelph);
      const result = await graphql(server, exportQuery, {}, guelph);
      expect(result.errors).toBeUndefined();
      const hsds = result.data!.directoryExport as Hsds;
      expect(hsds.hsds_version).toBe('3.1');

      const owner = server.db.prisma;
      const running = await owner.program.findMany({ where: { tenantId: 'guelph', active: true } });
      const serviceNames = hsds.service.map((s) => s.name);
      expect(serviceNames).toEqual(expect.arrayContaining([...running.map((p) => p.name), 'Guelph Shared Men’s Shed']));
      expect(serviceNames).not.toContain('Guelph Private Porch Visits');
      const foreign = await owner.program.findMany({ where: { tenantId: { notIn: ['guelph'] } } });
      expect(serviceNames.filter((name) => foreign.some((p) => p.name === name))).toEqual([]);
      expect(hsds.service.length).toBe(
        running.length + (await owner.communityAsset.count({ where: { tenantId: 'guelph', visibility: 'NETWORK', retiredAt: null } })),
      );

      // Referential integrity and HSDS ids.
      const ids = (table: HsdsTable) => new Set(hsds[table].map((row) => row.id));
      for (const table of ['organization', 'program', 'service', 'location', 'service_at_location', 'taxonomy', 'taxonomy_term'] as const) {
        expect(
          hsds[table].every((row) => uuid.test(row.id)),
          table,
        ).toBe(true);
      }
      expect(
        hsds.service.every((s) => ids('organization').has(s.organization_id) && ['active', 'inactive', 'defunct', 'temporarily closed'].includes(s.status)),
      ).toBe(true);
      expect(hsds.service_at_location.every((sal) => ids('service').has(sal.service_id) && ids('location').has(sal.location_id))).toBe(true);
      expect(hsds.service.flatMap((s) => s.attributes).every((a) => ids('taxonomy_term').has(a.taxonomy_term_id))).toBe(true);
      expect(hsds.taxonomy_term.every((term) => ids('taxonomy').has(term.taxonomy_id))).toBe(true);
      const shed = hsds.location.find((l) => l.name === 'Guelph Shared Men’s Shed');
      expect(shed).toMatchObject({
        location_type: 'physical',
        latitude: 43.55,
        longitude: -80.25,
        addresses: [{ address_1: '12 Example Street', city: 'Guelph', state_province: 'ON', postal_code: 'N1H 1A1', country: 'CA' }],
      });

      // Partners: those in an active partnership with the site; volunteers and clients stay home.
      expect(hsds.organization.map((o) => o.name)).toContain('EcoHealth Ontario');
      const text = JSON.stringify(hsds);
      for (const champion of await owner.healthChampion.findMany({ where: { tenantId: 'guelph' } })) expect(text).not.toContain(`"${champion.displayName}"`);
      for (const client of await owner.client.findMany({ where: { tenantId: 'guelph' }, take: 20 })) expect(text).not.toContain(client.chartNumber);
    });

    it('is for site staff only', async () => {
      for (const headers of [await network('ALLIANCE_ADMIN'), await teamcareAll()]) {
        expect(codes(await graphql(server, exportQuery, {}, headers))).toEqual(['FORBIDDEN']);
      }
    });
  });
});
