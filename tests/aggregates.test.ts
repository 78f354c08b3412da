// Cross-site aggregates over HTTP: every figure against a ground truth computed from the owner
// connection (published within the perturbation's bounds, small counts withheld), whole months
// only, the lock-box, and who may ask for which sites. The attackers who try to undo the
// perturbation are in suppression-attack.test.ts and differencing-attack.test.ts.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dimensionNames, type DimensionName } from '../src/aggregates/dimensions.js';
import { counted as truthOf, keysOf, tally, type Counted, type Filter } from './support/aggregate-truth.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { addSmallCells, june2019, smallCellSite } from './support/small-cells.js';
import { network, partner, staff } from './support/tokens.js';

type Headers = Record<string, string>;
type CellOut = { keys: string[]; value: number | null; suppressed: boolean; reason: string | null };
const cellFields = '{ keys value suppressed reason }';
const pilot: Filter = { from: '2018-09-01', to: '2019-12-31' };

const queries = {
  networkSummary: `query($f: AggregateFilter!) { networkSummary(filter: $f) { sites clients ${cellFields} } }`,
  prescriptionBreakdown: `query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [SITE]) { clients ${cellFields} } }`,
  outcomeChanges: `query($f: AggregateFilter!) { outcomeChanges(filter: $f) { instrument clientsWithBoth ${cellFields} } }`,
  utilizationChange: `query($f: AggregateFilter!) { utilizationChange(filter: $f, equity: AGE_BAND) { keys clients ${cellFields} } }`,
};

/** The perturbation's bound (PERTURBATION_MAX) and the threshold, as the test server runs. */
const D = 2;
const t = 5;

/**
 * A published count is its truth within ±D, and at least t; a withheld one is withheld for a
 * reason the truth bears out (a count under t, or under t once perturbed).
 */
function expectFigure(cell: CellOut, truth: number, what: string) {
  if (!cell.suppressed) {
    expect({ what, near: Math.abs(cell.value! - truth) <= D, large: cell.value! >= t && truth >= t }).toEqual({ what, near: true, large: true });
  } else {
    expect({ what, value: cell.value }).toEqual({ what, value: null });
    if (cell.reason === 'SMALL_COUNT') expect({ what, small: truth < t + D }).toEqual({ what, small: true });
  }
}

describe('cross-site aggregates', () => {
  let server: TestServer;
  let analyst: Headers;
  let statements: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_DISPATCHER: 'false' }, { onQuery: (sql) => statements.push(sql) });
    analyst = await network('ALLIANCE_ANALYST');
    await addSmallCells(server.db.prisma);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function ask(query: string, variables: Record<string, unknown>, headers: Headers = analyst) {
    const result = await graphql(server, query, variables, headers);
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  const counted = (filter: Filter) => truthOf(server.db.prisma, filter);

  describe('the headline', () => {
    async function expectSummary(filter: Filter, headers: Headers, sites: string[]) {
      const rows = await counted({ ...filter, sites });
      const owner = server.db.prisma;
      const champions = await owner.healthChampion.groupBy({
        by: ['tenantId'],
        where: { tenantId: { in: sites }, active: true, since: { lte: new Date(`${filter.to}T00:00:00Z`) } },
        _count: true,
      });
      const figures = (of: Counted[], site?: string) => ({
        prescriptions: of.length,
        clients: new Set(of.map((p) => p.clientId)).size,
        providers: new Set(of.flatMap((p) => (p.prescriberId ? [p.prescriberId] : []))).size,
        programs: new Set(of.flatMap((p) => p.items.flatMap((i) => (i.programId ? [i.programId] : [])))).size,
        healthChampions: champions.filter((c) => !site || c.tenantId === site).reduce((s, c) => s + c._count, 0),
      });
      const fields = `prescriptions ${cellFields} clients ${cellFields} providers ${cellFields} programs ${cellFields} healthChampions ${cellFields}`;
      const { networkSummary: s } = await ask(
        `query($f: AggregateFilter!) { networkSummary(filter: $f) { from to sites ${fields} bySite { site { slug } ${fields} } } }`,
        { f: filter },
        headers,
      );
      expect([s.from, s.to]).toEqual([filter.from, filter.to]);
      expect(s.sites).toBe(s.bySite.filter((b: any) => !b.prescriptions.suppressed).length);
      const all = figures(rows);
      for (const [name, truth] of Object.entries(all)) expectFigure(s[name], truth, name);
      expect(s.bySite.map((b: any) => b.site.slug)).toEqual([...sites].sort());
      for (const b of s.bySite) {
        const own = figures(
          rows.filter((p) => p.tenantId === b.site.slug),
          b.site.slug,
        );
        for (const [name, truth] of Object.entries(own)) expectFigure(b[name], truth, `${b.site.slug} ${name}`);
      }
      return s;
    }

    it('gives the network its providers, prescriptions, clients, Health Champions and programs', async () => {
      const sites = (await server.db.prisma.tenant.findMany({ select: { id: true } })).map((t) => t.id);
      const s = await expectSummary(pilot, analyst, sites);
      // The pilot's headline holds on the demo data: dozens of providers, hundreds of prescriptions.
      expect(s.providers.value).toBeGreaterThan(40);
      expect(s.prescriptions.value).toBeGreaterThan(500);
      expect(s.bySite.some((b: any) => b.healthChampions.reason === 'SMALL_COUNT')).toBe(true);
      expect(s.sites).toBeGreaterThan(5);
    });

    it('gives Alliance staff any set of sites, and each site’s data roles their own', async () => {
      await expectSummary({ ...pilot, sites: ['guelph', 'norwest'] }, await network('ALLIANCE_ADMIN'), ['guelph', 'norwest']);
      for (const role of ['DATA_COORDINATOR', 'SITE_ADMIN', 'PRIVACY_OFFICER']) {
        await expectSummary(pilot, await staff('guelph', role), ['guelph']);
        await expectSummary({ ...june2019, sites: [smallCellSite] }, await staff(smallCellSite, role), [smallCellSite]);
      }
    });

    it('loads the sites of the per-site list together, whatever their number', async () => {
      const measure = async (f: Filter) => {
        statements = [];
        await ask(`query($f: AggregateFilter!) { networkSummary(filter: $f) { bySite { site { name } clients { value } } } }`, { f });
        return statements.slice(statements.indexOf('BEGIN')).length;
      };
      expect(await measure({ ...pilot, sites: ['guelph', 'norwest'] })).toBe(await measure(pilot));
    });
  });

  describe('breakdowns', () => {
    it('match the ground truth for every dimension within the perturbation, withholding counts under 5', async () => {
      for (const filter of [pilot, june2019]) {
        const rows = await counted(filter);
        for (const d of dimensionNames) {
          const { prescriptionBreakdown: b } = await ask(
            `query($f: AggregateFilter!, $by: [AggregateDimension!]!) { prescriptionBreakdown(filter: $f, by: $by) { by totalPrescriptions ${cellFields}
               totalClients ${cellFields} prescriptions ${cellFields} clients ${cellFields} } }`,
            { f: filter, by: [d] },
          );
          expect(b.by).toEqual([d]);
          expectFigure(b.totalPrescriptions, rows.length, `${d} total`);
          expectFigure(b.totalClients, new Set(rows.map((p) => p.clientId)).size, `${d} total clients`);
          const truth = tally(rows, (p) => keysOf(p, d));
          for (const key of truth.keys()) expect(b.clients.map((c: CellOut) => c.keys[0])).toContain(key);
          // Whole-table rule: a withheld total withholds every cell.
          if (b.totalClients.suppressed) expect(b.clients.filter((c: CellOut) => !c.suppressed)).toEqual([]);
          b.clients.forEach((c: CellOut, i: number) => {
            const g = truth.get(c.keys[0]!);
            expectFigure(c, g?.clients.size ?? 0, `${d} ${c.keys[0]} clients`);
            expectFigure(b.prescriptions[i], g?.prescriptions ?? 0, `${d} ${c.keys[0]} prescriptions`);
            if (c.suppressed) expect(b.prescriptions[i].suppressed).toBe(true);
          });
        }
      }
    });

    it('match the ground truth for two dimensions, the same in either order', async () => {
      const rows = await counted(pilot);
      for (const by of [
        ['SITE', 'NEED'],
        ['NEED', 'AGE_BAND'],
        ['STATUS', 'SUPPORT_LEVEL'],
      ] as DimensionName[][]) {
        const query = `query($f: AggregateFilter!, $by: [AggregateDimension!]!) { prescriptionBreakdown(filter: $f, by: $by) {
          prescriptions ${cellFields} clients ${cellFields} } }`;
        const { prescriptionBreakdown: b } = await ask(query, { f: pilot, by });
        const truth = tally(rows, (p) => keysOf(p, by[0]!).flatMap((a) => keysOf(p, by[1]!).map((c) => `${a}|${c}`)));
        b.clients.forEach((c: CellOut, i: number) => {
          const g = truth.get(c.keys.join('|'));
          expectFigure(c, g?.clients.size ?? 0, `${by} ${c.keys} clients`);
          expectFigure(b.prescriptions[i], g?.prescriptions ?? 0, `${by} ${c.keys} prescriptions`);
        });
        const { prescriptionBreakdown: reversed } = await ask(query, { f: pilot, by: [...by].reverse() });
        const flip = (cells: CellOut[]) => cells.map((c) => ({ ...c, keys: [...c.keys].reverse() })).sort((x, y) => x.keys.join().localeCompare(y.keys.join()));
        expect(flip(reversed.clients)).toEqual([...b.clients].sort((x: CellOut, y: CellOut) => x.keys.join().localeCompare(y.keys.join())));
      }
    });

    it('withhold the known small cells, whoever asks', async () => {
      for (const headers of [analyst, await staff(smallCellSite, 'DATA_COORDINATOR')]) {
        const { prescriptionBreakdown: b } = await ask(
          `query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [LANGUAGE]) { clients ${cellFields} prescriptions ${cellFields} } }`,
          { f: june2019 },
          headers,
        );
        const ti = b.clients.findIndex((c: CellOut) => c.keys[0] === 'ti');
        // Record keys are random per database: for one site the whole table may be withheld as well
        // (its perturbed total under the threshold), which withholds the small cell all the same.
        expect(b.clients[ti]).toMatchObject({ keys: ['ti'], value: null, suppressed: true });
        expect(['SMALL_COUNT', 'SMALL_TABLE']).toContain(b.clients[ti].reason);
        expect(b.prescriptions[ti]).toMatchObject({ keys: ['ti'], value: null, suppressed: true });
        expect(['SMALL_GROUP', 'SMALL_TABLE']).toContain(b.prescriptions[ti].reason);
      }
    });
  });

  describe('outcomes and visits', () => {
    async function outcomeTruth(filter: Filter) {
      const rows = await counted(filter);
      const clients = new Map(rows.map((p) => [p.clientId, p.client]));
      const assessments = await server.db.prisma.outcomeAssessment.findMany({
        where: { clientId: { in: [...clients.keys()] }, score: { not: null } },
        orderBy: [{ assessedAt: 'asc' }, { id: 'asc' }],
      });
      const pairs: { instrument: string; client: Counted['client']; before: number; after: number }[] = [];
      for (const [clientId, client] of clients) {
        const mine = assessments.filter((a) => a.clientId === clientId);
        for (const instrument of new Set(mine.map((a) => a.instrument))) {
          const own = mine.filter((a) => a.instrument === instrument);
          const baseline = own.find((a) => a.timePoint === 'BASELINE');
          const follow = baseline && own.filter((a) => a.timePoint !== 'BASELINE' && a.assessedAt > baseline.assessedAt).at(-1);
          if (baseline && follow)
            pairs.push({ instrument, client, before: baseline.metricScore ?? baseline.score!, after: follow.metricScore ?? follow.score! });
        }
      }
      return pairs;
    }
    const outcomeFields = `instrument keys clientsWithBoth ${cellFields} meanChange ${cellFields} shareImproved ${cellFields}
      shareLonelyBefore ${cellFields} shareLonelyAfter ${cellFields}`;

    it('compare baseline and follow-up per instrument', async () => {
      const pairs = await outcomeTruth(pilot);
      const { outcomeChanges } = await ask(`query($f: AggregateFilter!) { outcomeChanges(filter: $f) { ${outcomeFields} } }`, { f: pilot });
      expect(outcomeChanges.map((o: any) => o.instrument)).toEqual([
        'UCLA_LONELINESS_3',
        'SWEMWBS',
        'COMMUNITY_BELONGING',
        'SELF_RATED_HEALTH',
        'SELF_RATED_MENTAL_HEALTH',
        // Then ONS4, question by question (tests/pilot-figures.test.ts).
        ...['ONS4', 'ONS4', 'ONS4', 'ONS4'],
      ]);
      for (const o of outcomeChanges.filter((o: any) => o.instrument !== 'ONS4')) {
        const mine = pairs.filter((p) => p.instrument === o.instrument);
        const ucla = o.instrument === 'UCLA_LONELINESS_3';
        expect(o.keys).toEqual([]);
        expectFigure(o.clientsWithBoth, mine.length, o.instrument);
        expect(mine.length).toBeGreaterThan(50);
        // Means and shares of perturbed figures: close to the truth at this size.
        expect(Math.abs(o.meanChange.value - mine.reduce((s, p) => s + p.after - p.before, 0) / mine.length)).toBeLessThan(0.2);
        expect(Math.abs(o.shareImproved.value - mine.filter((p) => (ucla ? p.after < p.before : p.after > p.before)).length / mine.length)).toBeLessThan(0.05);
        if (ucla) {
          expect(Math.abs(o.shareLonelyBefore.value - mine.filter((p) => p.before >= 6).length / mine.length)).toBeLessThan(0.05);
          expect(Math.abs(o.shareLonelyAfter.value - mine.filter((p) => p.after >= 6).length / mine.length)).toBeLessThan(0.05);
        } else {
          expect([o.shareLonelyBefore, o.shareLonelyAfter]).toEqual([null, null]);
        }
      }
    });

    it('through the equity lens, withhold the means and shares of groups under 5 people, and shares of 0 or 1', async () => {
      const pairs = await outcomeTruth(june2019);
      const { outcomeChanges } = await ask(`query($f: AggregateFilter!) { outcomeChanges(filter: $f, equity: LANGUAGE) { ${outcomeFields} } }`, {
        f: june2019,
      });
      const ucla = outcomeChanges.filter((o: any) => o.instrument === 'UCLA_LONELINESS_3');
      expect(ucla[0].keys).toEqual([]);
      const ti = ucla.find((o: any) => o.keys[0] === 'ti');
      expect(pairs.filter((p) => p.instrument === 'UCLA_LONELINESS_3' && p.client.preferredLanguage === 'ti')).toHaveLength(3);
      expect(ti.clientsWithBoth).toMatchObject({ value: null, suppressed: true, reason: 'SMALL_COUNT' });
      for (const figure of ['meanChange', 'shareImproved', 'shareLonelyBefore', 'shareLonelyAfter']) {
        expect(ti[figure]).toMatchObject({ value: null, suppressed: true, reason: 'SMALL_GROUP' });
      }
      for (const o of ucla.slice(1)) {
        expectFigure(
          o.clientsWithBoth,
          pairs.filter((p) => p.instrument === o.instrument && (p.client.preferredLanguage ?? 'NOT_RECORDED') === o.keys[0]).length,
          o.keys[0],
        );
        expect(o.meanChange.suppressed).toBe(o.clientsWithBoth.suppressed);
        for (const share of [o.shareImproved, o.shareLonelyBefore, o.shareLonelyAfter])
          if (!share.suppressed) expect(share.value > 0 && share.value < 1).toBe(true);
      }
    });

    it('total visits before and after, with the percent change', async () => {
      const rows = await counted(pilot);
      const records = await server.db.prisma.utilizationRecord.findMany({ where: { prescriptionId: { in: rows.map((p) => p.id) } } });
      const with2 = rows.filter((p) => ['BEFORE', 'AFTER'].every((period) => records.some((r) => r.prescriptionId === p.id && r.period === period)));
      const sum = (period: string, field: 'primaryCareVisits' | 'emergencyVisits') =>
        records.filter((r) => r.period === period && with2.some((p) => p.id === r.prescriptionId)).reduce((s, r) => s + r[field], 0);
      const { utilizationChange } = await ask(
        `query($f: AggregateFilter!) { utilizationChange(filter: $f) { keys clients ${cellFields} primaryCareBefore ${cellFields} primaryCareAfter ${cellFields}
           primaryCarePercentChange ${cellFields} emergencyBefore ${cellFields} emergencyAfter ${cellFields} emergencyPercentChange ${cellFields} } }`,
        { f: pilot },
      );
      const [all] = utilizationChange;
      expect(utilizationChange).toHaveLength(1);
      expectFigure(all.clients, new Set(with2.map((p) => p.clientId)).size, 'clients');
      // Sums move by at most half their largest contribution (PERTURBATION_MAGNITUDE), the change with them.
      const largest = Math.max(...records.map((r) => Math.max(r.primaryCareVisits, r.emergencyVisits)));
      const near = (cell: CellOut, truth: number) => expect(Math.abs(cell.value! - truth)).toBeLessThanOrEqual(Math.ceil(largest / 2));
      near(all.primaryCareBefore, sum('BEFORE', 'primaryCareVisits'));
      near(all.primaryCareAfter, sum('AFTER', 'primaryCareVisits'));
      near(all.emergencyBefore, sum('BEFORE', 'emergencyVisits'));
      near(all.emergencyAfter, sum('AFTER', 'emergencyVisits'));
      const change = (before: number, after: number) => Math.round(((after - before) / before) * 1000) / 10;
      expect(all.primaryCarePercentChange.value).toBe(change(all.primaryCareBefore.value, all.primaryCareAfter.value));
      expect(all.primaryCarePercentChange.value).toBeLessThan(-10);
      expect(all.emergencyPercentChange.value).toBe(change(all.emergencyBefore.value, all.emergencyAfter.value));
    });
  });

  /** The unperturbed count of the SQL function, as the request role with a network principal. */
  const asNetwork = <T>(sql: string) =>
    server.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        "SELECT set_config('role', 'rx_app', true), set_config('app.principal_kind', 'NETWORK', true), set_config('app.roles', 'ALLIANCE_ADMIN', true)",
      );
      return tx.$queryRawUnsafe<T>(sql);
    });
  const rawClients = async (site: string) =>
    Number(
      (
        await asNetwork<{ clients: bigint }[]>(
          `SELECT clients FROM agg_prescriptions(ARRAY['SITE'], '${pilot.from}', '${pilot.to}', ARRAY['${site}']) WHERE grouped = 3`,
        )
      )[0]!.clients,
    );

  describe('lock-box', () => {
    it('counts a client with locked sociodemographics as not recorded, for every caller', async () => {
      const owner = server.db.prisma;
      const byAgeBand = async () =>
        new Map(
          (
            await asNetwork<{ k1: string; clients: bigint }[]>(
              `SELECT k1, clients FROM agg_prescriptions(ARRAY['AGE_BAND'], '${june2019.from}', '${june2019.to}', ARRAY['${smallCellSite}']) WHERE grouped = 0`,
            )
          ).map((r) => [r.k1, Number(r.clients)]),
        );
      const before = await byAgeBand();
      const client = await owner.client.findFirstOrThrow({ where: { tenantId: smallCellSite, chartNumber: 'SMALL-0' } });
      const lock = await owner.clientLock.create({
        data: { tenantId: smallCellSite, clientId: client.id, category: 'SOCIODEMOGRAPHICS', allowedStaffIds: [] },
      });
      const after = await byAgeBand();
      expect(after.get('UNDER_18')).toBe(before.get('UNDER_18')! - 1);
      expect(after.get('NOT_RECORDED') ?? 0).toBe((before.get('NOT_RECORDED') ?? 0) + 1);
      await owner.clientLock.update({ where: { id: lock.id }, data: { releasedAt: new Date() } });
      expect(await byAgeBand()).toEqual(before);
    });
  });

  describe('record keys', () => {
    it('are never readable nor writable by the request role', async () => {
      for (const table of ['Client', 'SocialPrescription', 'StaffMember', 'Program', 'HealthChampion']) {
        await expect(asNetwork(`SELECT "recordKey" FROM "${table}" LIMIT 1`)).rejects.toThrow(/permission denied/);
        await expect(asNetwork(`UPDATE "${table}" SET "recordKey" = 0 WHERE false`)).rejects.toThrow(/permission denied/);
      }
      const keys = await server.db.prisma.$queryRawUnsafe<{ n: bigint; distinct: bigint }[]>(
        `SELECT count(*) AS n, count(DISTINCT "recordKey") AS distinct FROM "Client"`,
      );
      expect(keys[0]!.distinct).toBe(keys[0]!.n);
    });
  });

  describe('consent', () => {
    it('counts a client only while their newest evaluation consent is a grant', async () => {
      const owner = server.db.prisma;
      const site = await staff('guelph', 'DATA_COORDINATOR');
      const clientsNow = async () => (await ask(queries.networkSummary, { f: pilot }, site)).networkSummary.clients.value;
      const before = await clientsNow();
      const { clientId } = (await counted({ ...pilot, sites: ['guelph'] }))[0]!;
      await owner.clientConsent.create({ data: { tenantId: 'guelph', clientId, kind: 'EVALUATION_USE', status: 'WITHDRAWN', recordedAt: new Date() } });
      expect(Math.abs((await clientsNow()) - (before - 1))).toBeLessThanOrEqual(2 * D);
      expect(await rawClients('guelph')).toBe((await counted({ ...pilot, sites: ['guelph'] })).reduce((s, p) => s.add(p.clientId), new Set()).size);
      await owner.clientConsent.create({
        data: { tenantId: 'guelph', clientId, kind: 'EVALUATION_USE', status: 'GRANTED', recordedAt: new Date(Date.now() + 1000) },
      });
      // The same clients again: the same published figure.
      expect(await clientsNow()).toBe(before);
    });
  });

  describe('who may ask', () => {
    const askAll = async (headers: Headers, f: Filter = pilot) =>
      Promise.all(Object.values(queries).map(async (query) => codes(await graphql(server, query, { f }, headers))));

    it('refuses a site’s staff asking for another site, alone or among others', async () => {
      for (const role of ['DATA_COORDINATOR', 'SITE_ADMIN', 'PRIVACY_OFFICER']) {
        const headers = await staff('guelph', role);
        for (const sites of [['norwest'], ['guelph', 'norwest']])
          expect(await askAll(headers, { ...pilot, sites })).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
        expect(await askAll(headers, { ...pilot, sites: ['guelph'] })).toEqual([[], [], [], []]);
      }
    });

    it('refuses link workers, prescribers, Health Champions, program coordinators and partners; asks for a token', async () => {
      const callers = [
        await staff('guelph', 'LINK_WORKER'),
        await staff('guelph', 'PRESCRIBER'),
        await staff('guelph', 'HEALTH_CHAMPION'),
        await staff('guelph', 'PROGRAM_COORDINATOR'),
        await partner('teamcare', 'referrals:read'),
        await partner('teamcare', 'referrals:create referrals:read programs:read'),
      ];
      for (const headers of callers) expect(await askAll(headers)).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
      expect(await askAll({})).toEqual([['UNAUTHENTICATED'], ['UNAUTHENTICATED'], ['UNAUTHENTICATED'], ['UNAUTHENTICATED']]);
    });

    it('gives Alliance staff no client row by any other path', async () => {
      const owner = server.db.prisma;
      const client = await owner.client.findFirstOrThrow({ where: { tenantId: 'norwest' } });
      const prescription = await owner.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest' } });
      for (const role of ['ALLIANCE_ANALYST', 'ALLIANCE_ADMIN']) {
        const headers = await network(role);
        expect(codes(await graphql(server, gql('{ clients(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, gql('{ socialPrescriptions(first: 5) { edges { node { id } } } }'), {}, headers))).toEqual(['FORBIDDEN']);
        const nodes = await graphql(
          server,
          'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
          {
            ids: [encodeGlobalID('Client', client.id), encodeGlobalID('SocialPrescription', prescription.id)],
          },
          headers,
        );
        expect(nodes.data).toEqual({ nodes: [null, null] });
      }
      // Underneath: as the request role with a network principal, the tables hold nothing, and the
      // aggregate functions take no breakdown but their own and give no row per client.
      const asNetwork = <T>(sql: string) =>
        owner.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            "SELECT set_config('role', 'rx_app', true), set_config('app.principal_kind', 'NETWORK', true), set_config('app.roles', 'ALLIANCE_ADMIN', true)",
          );
          return tx.$queryRawUnsafe<T>(sql);
        });
      for (const table of ['Client', 'ClientConsent', 'SocialPrescription', 'OutcomeAssessment', 'UtilizationRecord', 'PrescriptionEvent']) {
        expect(await asNetwork<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`)).toEqual([{ n: 0 }]);
      }
      await expect(asNetwork(`SELECT * FROM agg_prescriptions(ARRAY['id'], '2018-01-01', '2020-01-01', NULL)`)).rejects.toThrow(/unknown breakdown/);
      await expect(asNetwork(`SELECT * FROM agg_outcomes('"clientId"', NULL, '2018-01-01', '2020-01-01', NULL)`)).rejects.toThrow(
        /unknown sociodemographic factor/,
      );
      await expect(asNetwork(`SELECT agg_prescriptions_sql(ARRAY['SITE'])`)).rejects.toThrow(/permission denied/);
      const rows = await asNetwork<{ clients: bigint }[]>(`SELECT clients FROM agg_prescriptions(ARRAY['SITE'], '2018-01-01', '2020-01-01', NULL)`);
      expect(rows.length).toBe(12);
    });

    it('has the SQL functions check the caller too: a site’s data role gets its own site, others an error', async () => {
      const as = <T>(kind: string, roles: string, tenant: string, sql: string) =>
        server.db.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            "SELECT set_config('role', 'rx_app', true), set_config('app.principal_kind', $1, true), set_config('app.roles', $2, true), set_config('app.tenant_id', $3, true)",
            kind,
            roles,
            tenant,
          );
          return tx.$queryRawUnsafe<T>(sql);
        });
      const sites = await as<{ site: string | null }[]>(
        'STAFF',
        'DATA_COORDINATOR',
        'guelph',
        `SELECT site FROM agg_summary('2018-01-01', '2020-01-01', ARRAY['norwest'])`,
      );
      expect(sites.map((s) => s.site)).toEqual(['guelph', null]);
      for (const [kind, roles] of [
        ['STAFF', 'LINK_WORKER'],
        ['STAFF', 'HEALTH_CHAMPION'],
        ['PARTNER', ''],
        ['', ''],
      ]) {
        await expect(as(kind!, roles!, 'guelph', `SELECT * FROM agg_summary('2018-01-01', '2020-01-01', NULL)`)).rejects.toThrow(/not available/);
      }
    });
  });

  describe('bad input', () => {
    it('names the field', async () => {
      const fields = async (query: string, variables: Record<string, unknown>) => {
        const result = await graphql(server, query, variables, analyst);
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        return (result.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field);
      };
      expect(await fields(queries.networkSummary, { f: { from: '2019-02-01', to: '2019-01-31' } })).toEqual(['filter.to']);
      // Whole calendar months only.
      expect(await fields(queries.networkSummary, { f: { from: '2019-02-02', to: '2019-02-28' } })).toEqual(['filter.from']);
      expect(await fields(queries.networkSummary, { f: { from: '2019-02-01', to: '2019-02-27' } })).toEqual(['filter.to']);
      const aligned = await graphql(server, queries.networkSummary, { f: { from: '2019-06-10', to: '2019-06-10' } }, analyst);
      expect(aligned.errors![0]!.extensions!.fields).toEqual([
        { field: 'filter.from', message: 'must be the first day of a month: aggregates cover whole calendar months' },
        { field: 'filter.to', message: 'must be the last day of a month: aggregates cover whole calendar months' },
      ]);
      expect(await fields(queries.networkSummary, { f: { ...pilot, sites: ['guelph', 'nowhere'] } })).toEqual(['filter.sites.1']);
      const breakdown = 'query($by: [AggregateDimension!]!) { prescriptionBreakdown(filter: { from: "2019-01-01", to: "2019-12-31" }, by: $by) { by } }';
      expect(await fields(breakdown, { by: [] })).toEqual(['by']);
      expect(await fields(breakdown, { by: ['SITE', 'SITE'] })).toEqual(['by']);
      expect(await fields(breakdown, { by: ['SITE', 'NEED', 'MONTH'] })).toEqual(['by']);
    });
  });
});
