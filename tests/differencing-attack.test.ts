// The attacker of the cell-key perturbation: an Alliance analyst with nothing but the API's own
// answers and subtraction, checked against the true counts of the owner connection.
// - Site-set differencing: every dimension, all sites minus all sites but one, key by key.
// - Period differencing: every pair of nested month-aligned periods of 2019's first half.
// - The zero pattern: one site, one month, every dimension: a small total must not leave a single key.
// - Shares: a published share times a published count must not pin a count of 1 to t-1.
// A count is recovered when every value the published bounds allow (each published count is its
// truth within ±D, a withheld one lies in the documented withheld range) is one and the same, of
// 1 to t-1 people. The tests fail on any; they log how many differences came out exact, and the
// utility (mean absolute perturbation, share of cells published).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackerBounds, perturbationOf } from '../src/aggregates/perturbation.js';
import { dimensionNames, equityFactors, type DimensionName } from '../src/aggregates/dimensions.js';
import { counted, keysOf, supportKeys, supportOnly, tally, type Counted, type Filter, type SupportDimension } from './support/aggregate-truth.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { addSmallCells, june2019, smallCellSite } from './support/small-cells.js';
import { network } from './support/tokens.js';

type CellOut = { keys: string[]; value: number | null; suppressed: boolean };
const t = 5;
const pilot: Filter = { from: '2018-09-01', to: '2019-12-31' };

describe('differencing attacks on the published aggregates', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  let sites: string[];
  let D: number;
  let withheld: [number, number];
  let support: Awaited<ReturnType<typeof supportKeys>>;

  beforeAll(async () => {
    server = await startTestServer();
    ({ D, withheld } = attackerBounds(perturbationOf(server.testDb.config)));
    headers = await network('ALLIANCE_ANALYST');
    await addSmallCells(server.db.prisma);
    sites = (await server.db.prisma.tenant.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((s) => s.id);
    support = await supportKeys(server.db.prisma);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function request(query: string, variables: Record<string, unknown>) {
    const result = await graphql(server, query, variables, headers);
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  type Dimension = DimensionName | SupportDimension;
  const isSupport = (d: Dimension): d is SupportDimension => (supportOnly as readonly string[]).includes(d);
  const breakdowns = new Map<string, Promise<Map<string, CellOut>>>();
  const fieldOf = (d: Dimension) => (isSupport(d) ? ['supportBreakdown', 'SupportDimension'] : ['prescriptionBreakdown', 'AggregateDimension']);
  const cellsOf = (b: { totalClients: CellOut; clients: CellOut[] }) => new Map([['', b.totalClients], ...b.clients.map((c) => [c.keys[0]!, c] as const)]);
  /** Asks for breakdowns by one dimension each, several to a request (aliases): distinct clients by key, the total under ''. */
  function ask(wanted: (readonly [Dimension, Filter])[]) {
    const fields = wanted.map(([d], i) => {
      const [field] = fieldOf(d);
      return `b${i}: ${field}(filter: $f${i}, by: $by${i}) { totalClients { keys value suppressed } clients { keys value suppressed } }`;
    });
    const declared = wanted.map(([d], i) => `$f${i}: AggregateFilter!, $by${i}: [${fieldOf(d)[1]}!]!`);
    const variables = Object.fromEntries(
      wanted.flatMap(([d, f], i) => [
        [`f${i}`, f],
        [`by${i}`, [d]],
      ]),
    );
    const answer = request(`query(${declared.join(', ')}) { ${fields.join(' ')} }`, variables);
    for (const [i, w] of wanted.entries())
      breakdowns.set(
        JSON.stringify(w),
        answer.then((data) => cellsOf(data[`b${i}`])),
      );
  }
  function clientsBy(d: Dimension, filter: Filter) {
    const id = JSON.stringify([d, filter]);
    if (!breakdowns.has(id)) ask([[d, filter]]);
    return breakdowns.get(id)!;
  }
  /**
   * Asks for these breakdowns before an attack reads them one by one: twenty to a request (one
   * transaction and token check instead of twenty), three requests at a time.
   */
  async function prefetch(wanted: (readonly [Dimension, Filter])[]) {
    const queue = [...new Map(wanted.map((w) => [JSON.stringify(w), w] as const))].filter(([id]) => !breakdowns.has(id)).map(([, w]) => w);
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let next = queue.splice(0, 20); next.length > 0; next = queue.splice(0, 20)) {
          ask(next);
          await breakdowns.get(JSON.stringify(next[0]))!;
        }
      }),
    );
  }
  /** The keys a prescription's clients count under: for a support dimension, those of any of its connections. */
  const keysFor = (d: Dimension) => (p: Counted) => (isSupport(d) ? [...new Set(p.items.flatMap((item) => support(p, item, d)))] : keysOf(p, d));

  /** The values of a count the attacker cannot rule out, from one cell as published. */
  const allowed = (cell: CellOut | undefined): [number, number] =>
    !cell ? [0, Infinity] : cell.suppressed ? withheld : [Math.max(cell.value! - D, 0), cell.value! + D];
  /** ... and from the difference of two published cells. */
  const difference = (a: CellOut, b: CellOut): [number, number] | null =>
    a.suppressed || b.suppressed ? null : [a.value! - b.value! - 2 * D, a.value! - b.value! + 2 * D];
  const meet = (...ranges: [number, number][]): [number, number] => [Math.max(...ranges.map((r) => r[0])), Math.min(...ranges.map((r) => r[1]))];
  const pinsSmall = ([lo, hi]: [number, number]) => lo === hi && lo >= 1 && lo < t;

  type Tallies = { small: number; exact: number; recovered: string[] };
  const report = (label: string, r: Tallies) =>
    console.log(`${label}: ${r.small} withheld or small cells attacked, ${r.exact} exact differences, ${r.recovered.length} small counts recovered`);

  it('site-set differencing recovers no small count', async () => {
    const result: Tallies = { small: 0, exact: 0, recovered: [] };
    let published = 0;
    let cells = 0;
    let perturbation = 0;
    await prefetch(
      [pilot, june2019].flatMap((filter) =>
        [...supportOnly, ...dimensionNames].flatMap((d) =>
          [
            filter,
            ...sites.flatMap((site) => [
              { ...filter, sites: sites.filter((s) => s !== site) },
              { ...filter, sites: [site] },
            ]),
          ].map((f) => [d, f] as const),
        ),
      ),
    );
    for (const filter of [pilot, june2019]) {
      const rows = await counted(server.db.prisma, filter);
      for (const d of [...supportOnly, ...dimensionNames]) {
        const all = await clientsBy(d, filter);
        const truthAll = tally(rows, keysFor(d));
        for (const [key, c] of all) {
          if (!key) continue;
          cells++;
          if (c.suppressed) continue;
          published++;
          perturbation += Math.abs(c.value! - (truthAll.get(key)?.clients.size ?? 0));
        }
        for (const site of sites) {
          const others = await clientsBy(d, { ...filter, sites: sites.filter((s) => s !== site) });
          const alone = await clientsBy(d, { ...filter, sites: [site] });
          const truth = tally(
            rows.filter((p) => p.tenantId === site),
            keysFor(d),
          );
          for (const [key, a] of all) {
            if (!key) continue;
            const n = truth.get(key)?.clients.size ?? 0;
            const own = alone.get(key);
            if (!(own?.suppressed || (n >= 1 && n < t))) continue;
            result.small++;
            const b = others.get(key);
            const diff = b && difference(a, b);
            if (!diff) continue;
            if (a.value! - b.value! === n) result.exact++;
            const range = meet(diff, allowed(own));
            if (pinsSmall(range)) result.recovered.push(`${filter.from} ${d} ${site} ${key}: ${n}`);
          }
        }
      }
    }
    report('site-set differencing', result);
    console.log(
      `utility, all sites: ${published} of ${cells} cells published (${((100 * published) / cells).toFixed(1)}%), mean absolute perturbation ${(perturbation / published).toFixed(2)}`,
    );
    expect(result.recovered).toEqual([]);
  }, 240_000);

  it('period differencing recovers no small count', async () => {
    const months = ['2019-01', '2019-02', '2019-03', '2019-04', '2019-05', '2019-06'];
    const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10);
    const periods = months.flatMap((start, i) => months.slice(i).map((end) => ({ from: `${start}-01`, to: lastDay(end) })));
    const result: Tallies = { small: 0, exact: 0, recovered: [] };
    const rowsOf = new Map(await Promise.all(periods.map(async (p) => [JSON.stringify(p), await counted(server.db.prisma, p)] as const)));
    // Every rest of an outer period is itself one of the periods.
    await prefetch((['SUPPORT_CATEGORY', ...dimensionNames] as Dimension[]).flatMap((d) => periods.map((p) => [d, p] as const)));
    for (const d of ['SUPPORT_CATEGORY', ...dimensionNames] as Dimension[]) {
      for (const outer of periods) {
        for (const inner of periods) {
          if (inner === outer || inner.from < outer.from || inner.to > outer.to) continue;
          const [a, b] = [await clientsBy(d, outer), await clientsBy(d, inner)];
          const before = tally(rowsOf.get(JSON.stringify(inner))!, keysFor(d));
          const truth = tally(rowsOf.get(JSON.stringify(outer))!, keysFor(d));
          // The rest of the outer period is itself a period when the two share an end.
          const rest =
            inner.from === outer.from
              ? { from: nextDay(inner.to), to: outer.to }
              : inner.to === outer.to
                ? { from: outer.from, to: dayBefore(inner.from) }
                : null;
          const restCells = rest && (await clientsBy(d, rest));
          for (const [key, cell] of a) {
            if (!key) continue;
            const seen = before.get(key)?.clients ?? new Set();
            const n = [...(truth.get(key)?.clients ?? [])].filter((c) => !seen.has(c)).length;
            if (!(n >= 1 && n < t) && !restCells?.get(key)?.suppressed) continue;
            result.small++;
            // A key the inner period does not list (a month outside it) counts nobody there.
            const inside = b.get(key) ?? { keys: [key], value: 0, suppressed: false };
            const diff = difference(cell, inside);
            if (!diff) continue;
            if (cell.value! - inside.value! === n) result.exact++;
            // New clients of the rest of the period: no more than the clients of that period.
            const cap: [number, number] = restCells ? [0, allowed(restCells.get(key))[1]] : [0, Infinity];
            if (pinsSmall(meet(diff, cap))) result.recovered.push(`${d} ${outer.from}..${outer.to} minus ${inner.from}..${inner.to} ${key}: ${n}`);
          }
        }
      }
    }
    report('period differencing', result);
    expect(result.recovered).toEqual([]);
  }, 120_000);

  it('no small total of one site and one month leaves a single key', async () => {
    const found: string[] = [];
    let smallTotals = 0;
    for (const month of [june2019, { from: '2019-03-01', to: '2019-03-31' }]) {
      const rows = await counted(server.db.prisma, month);
      const small = sites.filter((site) => {
        const people = new Set(rows.filter((p) => p.tenantId === site).map((p) => p.clientId)).size;
        return people >= 1 && people < t;
      });
      await prefetch(small.flatMap((site) => [...supportOnly, ...dimensionNames].map((d) => [d, { ...month, sites: [site] }] as const)));
      for (const site of small) {
        for (const d of [...supportOnly, ...dimensionNames]) {
          smallTotals++;
          const cells = [...(await clientsBy(d, { ...month, sites: [site] }))].filter(([key]) => key);
          const candidates = cells.filter(([, c]) => c.suppressed || c.value !== 0);
          // The one key of SITE and MONTH is the site and the month asked for; of REGION, the site's region kind.
          if (candidates.length === 1 && d !== 'SITE' && d !== 'MONTH' && d !== 'REGION') found.push(`${month.from} ${site} ${d}: ${candidates[0]![0]}`);
        }
      }
    }
    console.log(`zero pattern: ${smallTotals} answers with a small total, ${found.length} leave a single non-zero key`);
    expect(smallTotals).toBeGreaterThan(0);
    expect(found).toEqual([]);
  }, 120_000);

  it('site-set differencing of the consent coverage recovers no small count of clients left out', async () => {
    const result: Tallies = { small: 0, exact: 0, recovered: [] };
    const coverage = async (filter: Filter) =>
      (
        await request(
          `query($f: AggregateFilter!) { networkSummary(filter: $f) { coverage { leftOutClients { keys value suppressed } recordedClients { keys value suppressed } } } }`,
          { f: filter },
        )
      ).networkSummary.coverage;
    for (const filter of [pilot, june2019]) {
      const all = await coverage(filter);
      const consented = new Set((await counted(server.db.prisma, filter)).map((p) => p.id));
      const end = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000);
      const recorded = await server.db.prisma.socialPrescription.findMany({
        where: { status: { not: 'ENTERED_IN_ERROR' }, referredAt: { gte: new Date(`${filter.from}T00:00:00Z`), lt: end } },
        select: { id: true, clientId: true, tenantId: true },
      });
      for (const site of sites) {
        const n = new Set(recorded.filter((p) => p.tenantId === site && !consented.has(p.id)).map((p) => p.clientId)).size;
        const alone = await coverage({ ...filter, sites: [site] });
        if (!(alone.leftOutClients.suppressed || (n >= 1 && n < t))) continue;
        result.small++;
        const others = await coverage({ ...filter, sites: sites.filter((s) => s !== site) });
        const diff = difference(all.leftOutClients, others.leftOutClients);
        if (!diff) continue;
        if (all.leftOutClients.value - others.leftOutClients.value === n) result.exact++;
        if (pinsSmall(meet(diff, allowed(alone.leftOutClients)))) result.recovered.push(`${filter.from} ${site}: ${n} left out`);
      }
    }
    report('coverage differencing', result);
    expect(result.small).toBeGreaterThan(0);
    expect(result.recovered).toEqual([]);
  }, 120_000);

  it('no published share pins a small count', async () => {
    const found: string[] = [];
    let shares = 0;
    for (const filter of [pilot, june2019, { ...pilot, sites: [smallCellSite] }] as Filter[]) {
      // Every follow-up for everyone and by language (where the small cells are), the latest for the other factors.
      const asked = [null, ...equityFactors].flatMap((e) =>
        (e === null || e === 'LANGUAGE' ? ['LATEST', 'MONTH_3', 'MONTH_6'] : ['LATEST']).map((u) => [e, u]),
      );
      for (const [equity, followUp] of asked) {
        const { outcomeChanges } = await request(
          `query($f: AggregateFilter!, $e: EquityFactor, $u: FollowUp) { outcomeChanges(filter: $f, equity: $e, followUp: $u) { instrument item keys
             clientsWithBoth { value suppressed } shareImproved { value suppressed } shareLonelyBefore { value suppressed } shareLonelyAfter { value suppressed } } }`,
          { f: filter, e: equity, u: followUp },
        );
        for (const o of outcomeChanges) {
          for (const name of ['shareImproved', 'shareLonelyBefore', 'shareLonelyAfter']) {
            const share = o[name];
            if (!share || share.suppressed || share.value === null || o.clientsWithBoth.suppressed) continue;
            shares++;
            const of = o.clientsWithBoth.value as number;
            const having = Math.round(share.value * of);
            // With and without the property, each within the bounds of a count and of the published total.
            for (const [what, x] of [
              ['with', having],
              ['without', of - having],
            ] as const) {
              if (pinsSmall([Math.max(x - 2 * D, 0), x + 2 * D]))
                found.push(`${filter.from} ${filter.sites ?? ''} ${equity} ${followUp} ${o.keys} ${o.instrument} ${o.item ?? ''} ${name} ${what}: ${x}`);
            }
          }
        }
      }
    }
    console.log(`shares: ${shares} published, ${found.length} pin a count of 1 to ${t - 1}`);
    expect(found).toEqual([]);
  }, 120_000);
});

const shift = (day: string, by: number) => new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
const nextDay = (day: string) => shift(day, 1);
const dayBefore = (day: string) => shift(day, -1);
