// The pilot's figures over HTTP (issue 12): the supports clients were connected to (Figure 7),
// consent coverage beside the headline, outcome means at baseline and at a chosen follow-up with
// ONS4 question by question, and the REGION dimension. Every figure against a truth computed from
// the owner connection's rows, within the perturbation's bounds or withheld for a reason the truth
// bears out; site and Alliance scope; regions of one site. The attackers are in
// suppression-attack.test.ts and differencing-attack.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counted as truthOf, keysOf, supportKeys as supportKeysOf, type Counted, type Filter } from './support/aggregate-truth.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { addSmallCells, june2019, smallCellSite } from './support/small-cells.js';
import { network, partner, staff } from './support/tokens.js';

type Headers = Record<string, string>;
type CellOut = { keys: string[]; value: number | null; suppressed: boolean; reason: string | null };
const cellFields = '{ keys value suppressed reason }';
const pilot: Filter = { from: '2018-09-01', to: '2019-12-31' };
/** The perturbation's bound (PERTURBATION_MAX) and the threshold, as the test server runs. */
const D = 2;
const t = 5;

/** A published count is its truth within ±D and at least t; a withheld one is withheld for a reason the truth bears out. */
function expectFigure(cell: CellOut, truth: number, what: string) {
  if (!cell.suppressed) {
    expect({ what, near: Math.abs(cell.value! - truth) <= D, large: cell.value! >= t && truth >= t }).toEqual({ what, near: true, large: true });
  } else {
    expect({ what, value: cell.value }).toEqual({ what, value: null });
    if (cell.reason === 'SMALL_COUNT') expect({ what, small: truth < t + D }).toEqual({ what, small: true });
  }
}

const supportFields = `totalConnections ${cellFields} totalClients ${cellFields} connections ${cellFields} clients ${cellFields}`;
const coverageFields = `{ recordedPrescriptions ${cellFields} recordedClients ${cellFields} countedPrescriptions ${cellFields}
  countedClients ${cellFields} leftOutPrescriptions ${cellFields} leftOutClients ${cellFields} }`;

describe('the pilot’s figures', () => {
  let server: TestServer;
  let analyst: Headers;
  let sites: { id: string; regionKind: string; languages: string[] }[];
  let supportOf: (item: Counted['items'][number]) => { categories: string[]; kind: string };

  beforeAll(async () => {
    server = await startTestServer();
    analyst = await network('ALLIANCE_ANALYST');
    const owner = server.db.prisma;
    await addSmallCells(owner);
    sites = await owner.tenant.findMany({ select: { id: true, regionKind: true, languages: true }, orderBy: { id: 'asc' } });
    const keys = await supportKeysOf(owner);
    supportOf = (item) => ({ categories: keys(null as never, item, 'SUPPORT_CATEGORY'), kind: keys(null as never, item, 'SUPPORT_KIND')[0]! });
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

  /** Connections and clients per key (the keys of the connection under each dimension, every combination). */
  function supportTruth(rows: Counted[], keys: (p: Counted, item: Counted['items'][number]) => string[][]) {
    const groups = new Map<string, { connections: Set<string>; clients: Set<string> }>();
    for (const p of rows) {
      for (const item of p.items) {
        const combos = keys(p, item).reduce<string[][]>((acc, ks) => acc.flatMap((a) => ks.map((k) => [...a, k])), [[]]);
        for (const combo of [[] as string[], ...combos]) {
          const id = combo.join('|');
          const g = groups.get(id) ?? { connections: new Set(), clients: new Set() };
          g.connections.add(item.id);
          g.clients.add(p.clientId);
          groups.set(id, g);
        }
      }
    }
    return groups;
  }
  const supportKeys = (d: string) => (p: Counted, item: Counted['items'][number]) => {
    if (d === 'SUPPORT_CATEGORY') return supportOf(item).categories;
    if (d === 'SUPPORT_KIND') return [supportOf(item).kind];
    if (d === 'ITEM_STATUS') return [item.status];
    return keysOf(p, d as Parameters<typeof keysOf>[1]);
  };

  describe('Figure 7: the supports clients were connected to', () => {
    const supportQuery = `query($f: AggregateFilter!, $by: [SupportDimension!]!) { supportBreakdown(filter: $f, by: $by) { by ${supportFields} } }`;

    for (const by of [
      ['SUPPORT_CATEGORY'],
      ['SUPPORT_KIND'],
      ['ITEM_STATUS'],
      ['SUPPORT_CATEGORY', 'SITE'],
      ['AGE_BAND', 'SUPPORT_KIND'],
      ['REGION', 'ITEM_STATUS'],
    ]) {
      it(`by ${by.join(' × ')}, network-wide, equals the truth within the perturbation`, async () => {
        const rows = await counted(pilot);
        const truth = supportTruth(rows, (p, item) => by.map((d) => supportKeys(d)(p, item)));
        const { supportBreakdown: b } = await ask(supportQuery, { f: pilot, by });
        expect(b.by).toEqual(by);
        const total = truth.get('')!;
        expectFigure(b.totalConnections, total.connections.size, 'connections');
        expectFigure(b.totalClients, total.clients.size, 'clients');
        expect(b.totalConnections.suppressed).toBe(false);
        let published = 0;
        b.connections.forEach((cell: CellOut, i: number) => {
          const g = truth.get(cell.keys.join('|'));
          expect(b.clients[i].keys).toEqual(cell.keys);
          if (b.clients[i].reason === 'ONE_SITE') return;
          expectFigure(b.clients[i], g?.clients.size ?? 0, `clients ${cell.keys}`);
          if (!b.clients[i].suppressed) {
            published++;
            expectFigure(cell, g!.connections.size, `connections ${cell.keys}`);
          } else expect(cell.suppressed).toBe(true);
        });
        // Positive control: most of what Figure 7 draws is published.
        expect(published).toBeGreaterThan(3);
      });
    }

    it('draws Figure 7 from the categories the pilot names: social, learning, physical activity, food, housing, income', async () => {
      const { supportBreakdown: b } = await ask(supportQuery, { f: pilot, by: ['SUPPORT_CATEGORY'] });
      const byKey = new Map<string, CellOut>(b.connections.map((c: CellOut) => [c.keys[0]!, c]));
      for (const key of ['SOCIAL_ISOLATION', 'LEARNING', 'PHYSICAL_ACTIVITY', 'FOOD']) expect(byKey.get(key)?.value).toBeGreaterThan(t);
      expect([...byKey.keys()]).toEqual(expect.arrayContaining(['HOUSING', 'INCOME', 'NOT_RECORDED']));
    });

    it('gives the same cells in either order of two dimensions', async () => {
      const [a, b] = await Promise.all(
        [
          ['SITE', 'SUPPORT_KIND'],
          ['SUPPORT_KIND', 'SITE'],
        ].map(async (by) => (await ask(supportQuery, { f: pilot, by })).supportBreakdown),
      );
      const key = (c: CellOut, swap: boolean) => (swap ? [...c.keys].reverse() : c.keys).join('|');
      const fromB = new Map(b.clients.map((c: CellOut) => [key(c, true), c.value]));
      expect(a.clients.map((c: CellOut) => c.value)).toEqual(a.clients.map((c: CellOut) => fromB.get(key(c, false))));
    });

    it('withholds the small cells of one site and one month, and the whole table when its total is small', async () => {
      const { supportBreakdown: b } = await ask(
        supportQuery,
        { f: { ...june2019, sites: [smallCellSite] }, by: ['SUPPORT_CATEGORY'] },
        await staff(smallCellSite, 'DATA_COORDINATOR'),
      );
      const rows = await counted({ ...june2019, sites: [smallCellSite] });
      const truth = supportTruth(rows, (p, item) => [supportOf(item).categories]);
      for (const [i, cell] of b.clients.entries()) {
        expectFigure(cell, truth.get(cell.keys.join('|'))?.clients.size ?? 0, cell.keys[0]);
        if (cell.suppressed) expect(b.connections[i]).toMatchObject({ value: null, suppressed: true });
      }
      expect(b.clients.some((c: CellOut) => c.suppressed)).toBe(true);
    });
  });

  describe('consent coverage', () => {
    async function coverageTruth(filter: Filter, site?: string) {
      const end = new Date(`${filter.to}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 1);
      const all = await server.db.prisma.socialPrescription.findMany({
        where: {
          status: { not: 'ENTERED_IN_ERROR' },
          referredAt: { gte: new Date(`${filter.from}T00:00:00Z`), lt: end },
          ...(site ? { tenantId: site } : {}),
        },
        select: { id: true, clientId: true },
      });
      const counts = new Set((await counted({ ...filter, ...(site ? { sites: [site] } : {}) })).map((p) => p.id));
      const of = (rows: typeof all) => ({ prescriptions: rows.length, clients: new Set(rows.map((p) => p.clientId)).size });
      return { recorded: of(all), counted: of(all.filter((p) => counts.has(p.id))), leftOut: of(all.filter((p) => !counts.has(p.id))) };
    }
    function expectCoverage(c: Record<string, CellOut>, truth: Awaited<ReturnType<typeof coverageTruth>>, what: string) {
      for (const m of ['recorded', 'counted', 'leftOut'] as const) {
        const cap = m.charAt(0).toUpperCase() + m.slice(1);
        expectFigure(c[`${m}Clients`]!, truth[m].clients, `${what} ${m} clients`);
        if (c[`${m}Clients`]!.suppressed) expect(c[`${m}Prescriptions`]!.suppressed).toBe(true);
        else expectFigure(c[`${m}Prescriptions`]!, truth[m].prescriptions, `${what} ${m} prescriptions (${cap})`);
      }
    }

    it('says how many prescriptions and clients exist, how many are counted, how many are left out; the counted ones are the headline', async () => {
      const { networkSummary: s } = await ask(
        `query($f: AggregateFilter!) { networkSummary(filter: $f) { prescriptions ${cellFields} clients ${cellFields} coverage ${coverageFields}
           bySite { prescriptions ${cellFields} clients ${cellFields} coverage ${coverageFields} } } }`,
        { f: pilot },
      );
      const truth = await coverageTruth(pilot);
      expectCoverage(s.coverage, truth, 'network');
      // Positive control: in the demo some clients gave no evaluation consent, and enough to publish.
      expect(truth.leftOut.clients).toBeGreaterThanOrEqual(t + D);
      expect(s.coverage.leftOutClients.suppressed).toBe(false);
      expect(s.coverage.countedClients).toEqual(s.clients);
      expect(s.coverage.countedPrescriptions).toEqual(s.prescriptions);
      for (const site of s.bySite) {
        expectCoverage(site.coverage, await coverageTruth(pilot, site.clients.keys[0]), site.clients.keys[0]);
        expect(site.coverage.countedClients).toEqual(site.clients);
      }
    });

    it('stands beside every breakdown, the same figures as the headline’s', async () => {
      const f = pilot;
      const data = await ask(
        `query($f: AggregateFilter!) { networkSummary(filter: $f) { coverage ${coverageFields} }
           prescriptionBreakdown(filter: $f, by: [SITE]) { coverage ${coverageFields} }
           supportBreakdown(filter: $f, by: [SUPPORT_KIND]) { coverage ${coverageFields} } }`,
        { f },
      );
      expect(data.prescriptionBreakdown.coverage).toEqual(data.networkSummary.coverage);
      expect(data.supportBreakdown.coverage).toEqual(data.networkSummary.coverage);
    });

    it('withholds a small number left out (one client withdrew at the small site in June 2019)', async () => {
      const f = { ...june2019, sites: [smallCellSite] };
      const { networkSummary: s } = await ask(`query($f: AggregateFilter!) { networkSummary(filter: $f) { coverage ${coverageFields} } }`, { f });
      const truth = await coverageTruth(june2019, smallCellSite);
      expect(truth.leftOut.clients).toBeGreaterThanOrEqual(1);
      expect(truth.leftOut.clients).toBeLessThan(t);
      expect(s.coverage.leftOutClients).toMatchObject({ value: null, suppressed: true });
      expect(s.coverage.leftOutPrescriptions).toMatchObject({ value: null, suppressed: true });
      expectCoverage(s.coverage, truth, 'small site');
    });
  });

  describe('outcomes', () => {
    type Pair = { measure: string; before: number; after: number };
    async function outcomeTruth(filter: Filter, followUp: string | null) {
      const rows = await counted(filter);
      const clients = new Set(rows.map((p) => p.clientId));
      const assessments = await server.db.prisma.outcomeAssessment.findMany({
        where: { clientId: { in: [...clients] } },
        orderBy: [{ assessedAt: 'asc' }, { id: 'asc' }],
      });
      const questions = ['LIFE_SATISFACTION', 'WORTHWHILE', 'HAPPINESS', 'ANXIETY'];
      const scores = assessments.flatMap((a) =>
        a.instrument === 'ONS4'
          ? a.items.map((v, i) => ({ ...a, measure: `ONS4_${questions[i]}`, value: v }))
          : a.score === null
            ? []
            : [{ ...a, measure: a.instrument, value: a.metricScore ?? a.score }],
      );
      const pairs: Pair[] = [];
      const byClientMeasure = new Map<string, typeof scores>();
      for (const s of scores) byClientMeasure.set(`${s.clientId}|${s.measure}`, [...(byClientMeasure.get(`${s.clientId}|${s.measure}`) ?? []), s]);
      for (const own of byClientMeasure.values()) {
        const baseline = own.find((a) => a.timePoint === 'BASELINE');
        const follow =
          baseline && own.filter((a) => a.timePoint !== 'BASELINE' && (!followUp || a.timePoint === followUp) && a.assessedAt > baseline.assessedAt).at(-1);
        if (baseline && follow) pairs.push({ measure: baseline.measure, before: baseline.value, after: follow.value });
      }
      return pairs;
    }
    const fields = `instrument item keys clientsWithBoth ${cellFields} meanBaseline ${cellFields} meanFollowUp ${cellFields} meanChange ${cellFields} shareImproved ${cellFields}`;

    for (const followUp of [null, 'MONTH_3', 'MONTH_6']) {
      it(`give baseline and follow-up means${followUp ? ` at ${followUp}` : ''}, ONS4 question by question`, async () => {
        const pairs = await outcomeTruth(pilot, followUp);
        const { outcomeChanges } = await ask(`query($f: AggregateFilter!, $u: FollowUp) { outcomeChanges(filter: $f, followUp: $u) { ${fields} } }`, {
          f: pilot,
          u: followUp,
        });
        expect(outcomeChanges.filter((o: any) => o.instrument === 'ONS4').map((o: any) => o.item)).toEqual([
          'LIFE_SATISFACTION',
          'WORTHWHILE',
          'HAPPINESS',
          'ANXIETY',
        ]);
        expect(outcomeChanges.filter((o: any) => o.instrument !== 'ONS4').every((o: any) => o.item === null)).toBe(true);
        for (const o of outcomeChanges) {
          const measure = o.item ? `ONS4_${o.item}` : o.instrument;
          const mine = pairs.filter((p) => p.measure === measure);
          expectFigure(o.clientsWithBoth, mine.length, measure);
          expect(mine.length).toBeGreaterThan(30);
          const mean = (f: (p: Pair) => number) => mine.reduce((s, p) => s + f(p), 0) / mine.length;
          // Means of perturbed sums over a perturbed count: close to the truth at this size.
          const scale = measure === 'SWEMWBS' ? 1 : 0.35;
          expect({ measure, baseline: Math.abs(o.meanBaseline.value - mean((p) => p.before)) < scale }).toEqual({ measure, baseline: true });
          expect({ measure, followUp: Math.abs(o.meanFollowUp.value - mean((p) => p.after)) < scale }).toEqual({ measure, followUp: true });
          expect({ measure, change: Math.abs(o.meanChange.value - mean((p) => p.after - p.before)) < scale }).toEqual({ measure, change: true });
          const lowerIsBetter = measure === 'UCLA_LONELINESS_3' || measure === 'ONS4_ANXIETY';
          const improved = mine.filter((p) => (lowerIsBetter ? p.after < p.before : p.after > p.before)).length / mine.length;
          expect({ measure, share: Math.abs(o.shareImproved.value - improved) < 0.06 }).toEqual({ measure, share: true });
        }
      });
    }

    it('withhold every mean of a small group (three Tigrinya speakers) and publish them for everyone', async () => {
      const { outcomeChanges } = await ask(`query($f: AggregateFilter!) { outcomeChanges(filter: $f, equity: LANGUAGE, followUp: MONTH_3) { ${fields} } }`, {
        f: june2019,
      });
      const ucla = outcomeChanges.filter((o: any) => o.instrument === 'UCLA_LONELINESS_3');
      const ti = ucla.find((o: any) => o.keys[0] === 'ti');
      expect(ti.clientsWithBoth).toMatchObject({ value: null, suppressed: true, reason: 'SMALL_COUNT' });
      for (const figure of ['meanBaseline', 'meanFollowUp', 'meanChange', 'shareImproved']) {
        expect(ti[figure]).toMatchObject({ value: null, suppressed: true, reason: 'SMALL_GROUP' });
      }
      const everyone = (await ask(`query($f: AggregateFilter!) { outcomeChanges(filter: $f, followUp: MONTH_3) { ${fields} } }`, { f: pilot })).outcomeChanges;
      expect(everyone[0].meanBaseline.suppressed).toBe(false);
    });

    it('refuses a follow-up that is not a choice', async () => {
      const result = await graphql(
        server,
        `
          query ($f: AggregateFilter!) {
            outcomeChanges(filter: $f, followUp: MONTH_9) {
              instrument
            }
          }
        `,
        { f: pilot },
        analyst,
      );
      expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });
  });

  describe('regions', () => {
    const byRegion = `query($f: AggregateFilter!, $by: [AggregateDimension!]!) { prescriptionBreakdown(filter: $f, by: $by) {
      totalClients ${cellFields} clients ${cellFields} prescriptions ${cellFields} } }`;
    const regionsOf = (site: (typeof sites)[number]) => (site.languages[0] === 'fr' ? [site.regionKind, 'FRANCOPHONE'] : [site.regionKind]);

    it('compare urban, rural and northern sites, and withhold the region of one site (the one francophone site)', async () => {
      const rows = await counted(pilot);
      const { prescriptionBreakdown: b } = await ask(byRegion, { f: pilot, by: ['REGION'] });
      const covering = (region: string) => sites.filter((s) => regionsOf(s).includes(region)).length;
      expect(covering('FRANCOPHONE')).toBe(1);
      for (const [i, cell] of b.clients.entries()) {
        const region = cell.keys[0];
        if (covering(region) < 2) {
          expect(cell).toEqual({ keys: [region], value: null, suppressed: true, reason: 'ONE_SITE' });
          expect(b.prescriptions[i]).toEqual({ keys: [region], value: null, suppressed: true, reason: 'ONE_SITE' });
          continue;
        }
        const mine = rows.filter((p) => keysOf(p, 'REGION').includes(region));
        expectFigure(cell, new Set(mine.map((p) => p.clientId)).size, region);
        expectFigure(b.prescriptions[i], mine.length, region);
        // Positive control: the regions of several sites are published.
        expect(cell.suppressed).toBe(false);
      }
    });

    it('reads a region as the same figure as its sites asked for together (no new differencing channel)', async () => {
      const northern = sites.filter((s) => s.regionKind === 'NORTHERN').map((s) => s.id);
      expect(northern.length).toBeGreaterThanOrEqual(2);
      const { prescriptionBreakdown: all } = await ask(byRegion, { f: pilot, by: ['REGION'] });
      const { prescriptionBreakdown: just } = await ask(byRegion, { f: { ...pilot, sites: northern }, by: ['REGION'] });
      const cellOf = (b: any) => b.clients.find((c: CellOut) => c.keys[0] === 'NORTHERN');
      expect(cellOf(all)).toEqual(cellOf(just));
      expect(cellOf(all).value).toBe(just.totalClients.value);
    });

    it('withholds a region that covers one site of the sites asked for, whole rows of a two-way table included', async () => {
      const northernOne = sites.find((s) => s.regionKind === 'NORTHERN' && s.languages[0] !== 'fr')!.id;
      const urban = sites.filter((s) => s.regionKind === 'URBAN').map((s) => s.id);
      const f = { ...pilot, sites: [northernOne, ...urban] };
      const { prescriptionBreakdown: b } = await ask(byRegion, { f, by: ['REGION', 'AGE_BAND'] });
      for (const cell of b.clients) {
        if (cell.keys[0] === 'URBAN') continue;
        expect(cell).toMatchObject({ value: null, suppressed: true, reason: 'ONE_SITE' });
      }
      expect(b.clients.filter((c: CellOut) => c.keys[0] === 'URBAN' && !c.suppressed).length).toBeGreaterThan(0);
      const { supportBreakdown: s } = await ask(
        `query($f: AggregateFilter!) { supportBreakdown(filter: $f, by: [SUPPORT_KIND, REGION]) { clients ${cellFields} } }`,
        { f },
      );
      for (const cell of s.clients) if (cell.keys[1] !== 'URBAN') expect(cell.reason).toBe('ONE_SITE');
    });

    it('gives a site’s data roles their own site’s total, and every region as one site’s', async () => {
      const { prescriptionBreakdown: b } = await ask(byRegion, { f: pilot, by: ['REGION'] }, await staff('guelph', 'DATA_COORDINATOR'));
      expect(b.totalClients.suppressed).toBe(false);
      expect(b.clients.map((c: CellOut) => c.reason)).toEqual(['ONE_SITE', 'ONE_SITE', 'ONE_SITE', 'ONE_SITE']);
    });
  });

  describe('who may read', () => {
    const query = `query($f: AggregateFilter!) { supportBreakdown(filter: $f, by: [SUPPORT_CATEGORY]) { totalClients ${cellFields} coverage { countedClients ${cellFields} } } }`;

    it('gives a site’s data roles their own site, equal to the truth, and refuses them other sites', async () => {
      for (const role of ['DATA_COORDINATOR', 'SITE_ADMIN', 'PRIVACY_OFFICER']) {
        const headers = await staff('guelph', role);
        const own = (await ask(query, { f: pilot }, headers)).supportBreakdown;
        const rows = await counted({ ...pilot, sites: ['guelph'] });
        expectFigure(own.totalClients, new Set(rows.filter((p) => p.items.length).map((p) => p.clientId)).size, `${role} guelph`);
        expect(own.totalClients.suppressed).toBe(false);
        // The same figure as Alliance staff asking for that site.
        expect((await ask(query, { f: { ...pilot, sites: ['guelph'] } })).supportBreakdown).toEqual(own);
        for (const other of [['norwest'], ['guelph', 'norwest']]) {
          expect(codes(await graphql(server, query, { f: { ...pilot, sites: other } }, headers))).toEqual(['FORBIDDEN']);
        }
      }
    });

    it('refuses link workers, prescribers, partners, and asks for a token', async () => {
      for (const headers of [
        await staff('guelph', 'LINK_WORKER'),
        await staff('guelph', 'PRESCRIBER'),
        await partner('teamcare', 'referrals:read programs:read'),
      ]) {
        expect(codes(await graphql(server, query, { f: pilot }, headers))).toEqual(['FORBIDDEN']);
        expect(
          codes(
            await graphql(
              server,
              `
                query ($f: AggregateFilter!) {
                  outcomeChanges(filter: $f, followUp: MONTH_6) {
                    instrument
                  }
                }
              `,
              { f: pilot },
              headers,
            ),
          ),
        ).toEqual(['FORBIDDEN']);
      }
      expect(codes(await graphql(server, query, { f: pilot }, {}))).toEqual(['UNAUTHENTICATED']);
    });

    it('gives the request role no row per client, and no function but the aggregates', async () => {
      const asNetwork = <T>(sql: string) =>
        server.db.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            "SELECT set_config('role', 'rx_app', true), set_config('app.principal_kind', 'NETWORK', true), set_config('app.roles', 'ALLIANCE_ADMIN', true)",
          );
          return tx.$queryRawUnsafe<T>(sql);
        });
      await expect(asNetwork(`SELECT * FROM agg_supports(ARRAY['i.id'], '2018-01-01', '2020-01-01', NULL)`)).rejects.toThrow(/unknown breakdown/);
      await expect(asNetwork(`SELECT * FROM agg_outcomes(NULL, 'CUSTOM', '2018-01-01', '2020-01-01', NULL)`)).rejects.toThrow(/unknown follow-up/);
      for (const sql of [`SELECT agg_supports_sql(ARRAY['SITE'])`, `SELECT agg_item_key(1, 'x')`, `SELECT agg_support_key_sql('SITE')`]) {
        await expect(asNetwork(sql)).rejects.toThrow(/permission denied/);
      }
      const rows = await asNetwork<unknown[]>(`SELECT * FROM agg_supports(ARRAY['SUPPORT_KIND'], '2018-01-01', '2020-01-01', NULL)`);
      expect(rows.length).toBe(5);
      const coverage = await asNetwork<unknown[]>(`SELECT * FROM agg_coverage('2018-01-01', '2020-01-01', NULL)`);
      expect(coverage.length).toBe(sites.length + 1);
    });
  });
});
