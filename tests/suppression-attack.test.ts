// The attacker of small-cell suppression. It asks for every aggregate of one period (the
// headline, every breakdown by one dimension and by every pair, outcomes and visits for everyone
// and through every equity factor), then writes down every linear relation it knows between the
// published figures (a total is the sum of its cells, a margin the sum of its row) and solves for
// the withheld ones. It must solve none. The same attacker, shown the complementary cells, does
// solve small ones: the complementary suppression is what stops it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneWay, twoWay } from '../src/aggregates/breakdown.js';
import { dimensionNames, dimensions, equityFactors, type DimensionName } from '../src/aggregates/dimensions.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { addSmallCells, june2019 } from './support/small-cells.js';
import { network } from './support/tokens.js';

type Published = { value: number | null; suppressed: boolean; reason: string | null };
type Relation = { total: string; parts: string[] };

/** Everything one attacker learned: figures by name, and the relations between them. */
class Knowledge {
  readonly figures = new Map<string, Published>();
  readonly people = new Set<string>();
  readonly relations: Relation[] = [];

  learn(name: string, cell: Published, countsPeople = false) {
    const figure = { value: cell.value, suppressed: cell.suppressed, reason: cell.reason };
    const known = this.figures.get(name);
    // One figure reads the same in every answer: otherwise two answers together give it away.
    if (known) expect({ name, ...figure }).toEqual({ name, ...known });
    this.figures.set(name, figure);
    if (countsPeople) this.people.add(name);
  }

  relate(total: string, parts: string[]) {
    this.relations.push({ total, parts });
  }

  withheld(which: (f: Published) => boolean = () => true) {
    return [...this.figures].filter(([, f]) => f.suppressed && which(f)).map(([name]) => name);
  }
}

/** Gaussian elimination over the unknown figures: the names it pins down to one value. */
function solve(knowledge: Knowledge, unknown: Set<string>): string[] {
  const names = [...unknown];
  const column = new Map(names.map((name, i) => [name, i]));
  const rows = knowledge.relations.map((r) => {
    const row = new Array<number>(names.length).fill(0);
    for (const [name, sign] of [[r.total, 1], ...r.parts.map((p) => [p, -1] as const)] as const) {
      const j = column.get(name);
      if (j !== undefined) row[j]! += sign;
    }
    return row;
  });
  let rank = 0;
  const pivotColumns: number[] = [];
  for (let j = 0; j < names.length && rank < rows.length; j++) {
    const pivot = rows.findIndex((row, k) => k >= rank && Math.abs(row[j]!) > 1e-9);
    if (pivot < 0) continue;
    [rows[rank], rows[pivot]] = [rows[pivot]!, rows[rank]!];
    const lead = rows[rank]!;
    const scale = lead[j]!;
    for (let c = 0; c < names.length; c++) lead[c]! /= scale;
    rows.forEach((row, k) => {
      const factor = row[j]!;
      if (k !== rank && Math.abs(factor) > 1e-9) for (let c = 0; c < names.length; c++) row[c]! -= factor * lead[c]!;
    });
    pivotColumns.push(j);
    rank++;
  }
  return pivotColumns.flatMap((j, k) => (rows[k]!.every((v, c) => c === j || Math.abs(v) < 1e-9) ? [names[j]!] : []));
}

const clientsAdd = (d: DimensionName) => d === 'SITE' || (equityFactors as readonly string[]).includes(d);
const prescriptionsAdd = (d: DimensionName) => dimensions[d].additive;
const cellFields = '{ keys value suppressed reason }';

describe('suppression against an attacker with every answer of a period', () => {
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    headers = await network('ALLIANCE_ANALYST');
    await addSmallCells(server.db.prisma);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function ask(query: string, variables: Record<string, unknown>) {
    const result = await graphql(server, query, variables, headers);
    expect(result.errors).toBeUndefined();
    return result.data as any;
  }

  async function gather(filter: { from: string; to: string; sites?: readonly string[] }): Promise<Knowledge> {
    const k = new Knowledge();
    const summary = (
      await ask(
        `query($f: AggregateFilter!) { networkSummary(filter: $f) { prescriptions ${cellFields} clients ${cellFields} providers ${cellFields}
           healthChampions ${cellFields} bySite { prescriptions ${cellFields} clients ${cellFields} providers ${cellFields} healthChampions ${cellFields} } } }`,
        { f: filter },
      )
    ).networkSummary;
    k.learn('rx', summary.prescriptions);
    k.learn('cl', summary.clients, true);
    k.learn('pv', summary.providers, true);
    k.learn('hc', summary.healthChampions, true);
    for (const site of summary.bySite) {
      const [key] = site.clients.keys;
      k.learn(`rx|SITE|${key}`, site.prescriptions);
      k.learn(`cl|SITE|${key}`, site.clients, true);
      k.learn(`pv|${key}`, site.providers, true);
      k.learn(`hc|${key}`, site.healthChampions, true);
    }
    k.relate('pv', summary.bySite.map((s: any) => `pv|${s.clients.keys[0]}`));
    k.relate('hc', summary.bySite.map((s: any) => `hc|${s.clients.keys[0]}`));

    const breakdown = async (by: DimensionName[]) =>
      (
        await ask(
          `query($f: AggregateFilter!, $by: [AggregateDimension!]!) { prescriptionBreakdown(filter: $f, by: $by) {
             totalPrescriptions ${cellFields} totalClients ${cellFields} prescriptions ${cellFields} clients ${cellFields} } }`,
          { f: filter, by },
        )
      ).prescriptionBreakdown;
    for (const d of dimensionNames) {
      const b = await breakdown([d]);
      k.learn('rx', b.totalPrescriptions);
      k.learn('cl', b.totalClients, true);
      b.prescriptions.forEach((c: any) => k.learn(`rx|${d}|${c.keys[0]}`, c));
      b.clients.forEach((c: any) => k.learn(`cl|${d}|${c.keys[0]}`, c, true));
      if (prescriptionsAdd(d)) k.relate('rx', b.prescriptions.map((c: any) => `rx|${d}|${c.keys[0]}`));
      if (clientsAdd(d)) k.relate('cl', b.clients.map((c: any) => `cl|${d}|${c.keys[0]}`));
    }
    for (const [i, a] of dimensionNames.entries()) {
      for (const b of dimensionNames.slice(i + 1)) {
        const table = await breakdown([a, b]);
        for (const [measure, cells, adds] of [
          ['rx', table.prescriptions, prescriptionsAdd],
          ['cl', table.clients, clientsAdd],
        ] as const) {
          const rows = new Map<string, string[]>();
          const columns = new Map<string, string[]>();
          for (const c of cells) {
            const name = `${measure}|${a},${b}|${c.keys.join(',')}`;
            k.learn(name, c, measure === 'cl');
            rows.set(c.keys[0], [...(rows.get(c.keys[0]) ?? []), name]);
            columns.set(c.keys[1], [...(columns.get(c.keys[1]) ?? []), name]);
          }
          if (adds(b)) for (const [key, parts] of rows) k.relate(`${measure}|${a}|${key}`, parts);
          if (adds(a)) for (const [key, parts] of columns) k.relate(`${measure}|${b}|${key}`, parts);
        }
      }
    }

    for (const equity of [null, ...equityFactors]) {
      const { outcomeChanges, utilizationChange } = await ask(
        `query($f: AggregateFilter!, $e: EquityFactor) {
           outcomeChanges(filter: $f, equity: $e) { instrument keys clientsWithBoth ${cellFields} meanChange ${cellFields} shareImproved ${cellFields}
             shareLonelyBefore ${cellFields} shareLonelyAfter ${cellFields} }
           utilizationChange(filter: $f, equity: $e) { keys clients ${cellFields} primaryCareBefore ${cellFields} primaryCareAfter ${cellFields}
             emergencyBefore ${cellFields} emergencyAfter ${cellFields} } }`,
        { f: filter, e: equity },
      );
      const group = (keys: string[]) => (keys.length ? `|${equity}|${keys[0]}` : '');
      const times = (share: Published, n: Published): Published =>
        share.suppressed || n.suppressed ? share : { ...share, value: share.value === null ? 0 : Math.round(share.value * n.value!) };
      const members = new Map<string, string[]>();
      for (const o of outcomeChanges) {
        const g = `${o.instrument}${group(o.keys)}`;
        k.learn(`on|${g}`, o.clientsWithBoth, true);
        k.learn(`oi|${g}`, times(o.shareImproved, o.clientsWithBoth));
        // The sum of changes is linear in what is published: mean times count.
        k.learn(`os|${g}`, o.meanChange.suppressed ? o.meanChange : { ...o.meanChange, value: (o.meanChange.value ?? 0) * o.clientsWithBoth.value });
        if (o.shareLonelyBefore) {
          k.learn(`olb|${g}`, times(o.shareLonelyBefore, o.clientsWithBoth));
          k.learn(`ola|${g}`, times(o.shareLonelyAfter, o.clientsWithBoth));
        }
        if (o.keys.length) members.set(o.instrument, [...(members.get(o.instrument) ?? []), g]);
      }
      for (const [instrument, groups] of members) {
        for (const m of ['on', 'oi', 'os', ...(instrument === 'UCLA_LONELINESS_3' ? ['olb', 'ola'] : [])]) {
          k.relate(`${m}|${instrument}`, groups.map((g) => `${m}|${g}`));
        }
      }
      for (const u of utilizationChange) {
        const g = group(u.keys);
        k.learn(`un${g}`, u.clients, true);
        for (const m of ['primaryCareBefore', 'primaryCareAfter', 'emergencyBefore', 'emergencyAfter']) k.learn(`${m}${g}`, u[m]);
      }
      const groups = utilizationChange.filter((u: any) => u.keys.length).map((u: any) => group(u.keys));
      if (groups.length) {
        for (const m of ['un', 'primaryCareBefore', 'primaryCareAfter', 'emergencyBefore', 'emergencyAfter']) {
          k.relate(m, groups.map((g: string) => `${m}${g}`));
        }
      }
    }
    return k;
  }

  for (const [label, filter] of [
    ['June 2019, with known small cells', june2019],
    ['the pilot, network-wide', { from: '2018-09-01', to: '2019-12-31' }],
    ['the pilot at three sites', { from: '2018-09-01', to: '2019-12-31', sites: ['west-elgin', 'guelph', 'gateway'] }],
  ] as const) {
    describe(label, () => {
      let k: Knowledge;
      beforeAll(async () => {
        k = await gather(filter);
      }, 300_000);

      it('withholds small cells and never publishes a count of 1 to 4 people', () => {
        expect(k.withheld((f) => f.reason === 'SMALL_COUNT').length).toBeGreaterThan(0);
        const small = [...k.people].filter((name) => {
          const f = k.figures.get(name)!;
          return !f.suppressed && f.value! > 0 && f.value! < 5;
        });
        expect(small).toEqual([]);
        expect([...k.figures.values()].filter((f) => f.suppressed && f.value !== null)).toEqual([]);
      });

      it('solves no withheld figure from all the relations between published ones', () => {
        const withheld = k.withheld();
        const unknown = new Set([...withheld, ...k.relations.flatMap((r) => [r.total, ...r.parts]).filter((name) => !k.figures.has(name))]);
        expect(solve(k, unknown).filter((name) => withheld.includes(name))).toEqual([]);
      });

      it('would be beaten by the same attacker without the complementary cells', () => {
        const primary = new Set(k.withheld((f) => f.reason !== 'COMPLEMENTARY'));
        expect(k.withheld((f) => f.reason === 'COMPLEMENTARY').length).toBeGreaterThan(0);
        expect(solve(k, primary).length).toBeGreaterThan(0);
      });
    });
  }

  it('knows the small cells it was given: three Tigrinya speakers, one Somali speaker', async () => {
    const b = (
      await ask(`query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [LANGUAGE]) { clients ${cellFields} } }`, { f: june2019 })
    ).prescriptionBreakdown;
    const byKey = new Map(b.clients.map((c: any) => [c.keys[0], c]));
    expect(byKey.get('ti')).toEqual({ keys: ['ti'], value: null, suppressed: true, reason: 'SMALL_COUNT' });
    expect(byKey.get('so')).toEqual({ keys: ['so'], value: null, suppressed: true, reason: 'SMALL_COUNT' });
  });
});

describe('suppression of any two-way tables sharing margins', () => {
  const scope = { from: '2019-01-01', to: '2019-12-31', sites: ['a', 'b', 'c'] };

  it('does not let two small counts be read off their sum', () => {
    // Each withheld small count is 1 to 4, so 'ti' + 'so' = 2 would say both are 1: a third cell goes too.
    const cells = new Map(Object.entries({ ti: 1, so: 1, fr: 9, en: 30 }).map(([k, v]) => [k, { prescriptions: v, clients: v }]));
    const t = oneWay('LANGUAGE', { prescriptions: 41, clients: 41 }, cells, scope, 5);
    expect(Object.fromEntries(t.keys.map((key, i) => [key, t.status[i]]))).toEqual({ en: null, fr: 'COMPLEMENTARY', so: 'SMALL_COUNT', ti: 'SMALL_COUNT' });
  });

  const count = fc.constantFrom(0, 0, 0, 1, 1, 2, 3, 4, 5, 7, 20);
  const sumBy = (cells: Map<string, number>, pick: (key: string) => string) => {
    const sums = new Map<string, number>();
    for (const [key, v] of cells) sums.set(pick(key), (sums.get(pick(key)) ?? 0) + v);
    return sums;
  };
  const asCounts = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [k, { prescriptions: v, clients: v }]));

  it('leaves the attacker nothing to solve, whatever the counts', () => {
    // Every pair of one population split three ways shares its margins with the others; NEED × SOURCE has a margin that does not add up.
    const pairs: [DimensionName, DimensionName][] = [['SITE', 'SUPPORT_LEVEL'], ['SITE', 'SOURCE'], ['SUPPORT_LEVEL', 'SOURCE'], ['NEED', 'SOURCE']];
    const keys = { SITE: scope.sites, SUPPORT_LEVEL: dimensions.SUPPORT_LEVEL.values, SOURCE: dimensions.SOURCE.values, NEED: dimensions.NEED.values.slice(0, 3) };
    fc.assert(
      fc.property(fc.array(count, { minLength: 3 * 4 * 2 * 3, maxLength: 3 * 4 * 2 * 3 }), (draws) => {
        // One population of (site, support level, source) counts, so all tables agree; needs as a second, overlapping split.
        const units = new Map<string, number>();
        let i = 0;
        for (const site of keys.SITE) for (const level of keys.SUPPORT_LEVEL) for (const source of keys.SOURCE) units.set([site, level, source].join('|'), draws[i++]!);
        const k = new Knowledge();
        const total = [...units.values()].reduce((a, b) => a + b, 0);
        const learnOneWay = (d: DimensionName, byKey: Map<string, number>) => {
          const t = oneWay(d, { prescriptions: total, clients: total }, asCounts(byKey), scope, 5);
          k.learn('T', { value: t.totalStatus ? null : total, suppressed: !!t.totalStatus, reason: t.totalStatus });
          t.keys.forEach((key, j) => k.learn(`${d}|${key}`, { value: t.status[j] ? null : t.counts[j]!.clients, suppressed: !!t.status[j], reason: t.status[j]! }));
          if (dimensions[d].additive) k.relate('T', t.keys.map((key) => `${d}|${key}`));
        };
        const field = { SITE: 0, SUPPORT_LEVEL: 1, SOURCE: 2 } as const;
        const needOf = (key: string) => keys.NEED[key.length % 3]!;
        for (const [a, b] of pairs) {
          const pick = (d: DimensionName) => (key: string) => (d === 'NEED' ? needOf(key) : key.split('|')[field[d as keyof typeof field]]!);
          const cells = sumBy(units, (key) => `${pick(a)(key)}\u0000${pick(b)(key)}`);
          const margins = [sumBy(units, pick(a)), sumBy(units, pick(b))] as const;
          learnOneWay(a, margins[0]);
          learnOneWay(b, margins[1]);
          const t = twoWay([a, b], { prescriptions: total, clients: total }, [asCounts(margins[0]), asCounts(margins[1])], asCounts(cells), scope, 5);
          t.rows.keys.forEach((r, x) =>
            t.columns.keys.forEach((c, y) => {
              const status = t.status[x]![y]!;
              k.learn(`${a},${b}|${r},${c}`, { value: status ? null : t.counts[x]![y]!.clients, suppressed: !!status, reason: status });
            }),
          );
          if (dimensions[b].additive) for (const r of t.rows.keys) k.relate(`${a}|${r}`, t.columns.keys.map((c) => `${a},${b}|${r},${c}`));
          if (dimensions[a].additive) for (const c of t.columns.keys) k.relate(`${b}|${c}`, t.rows.keys.map((r) => `${a},${b}|${r},${c}`));
        }
        const withheld = k.withheld();
        expect(solve(k, new Set(withheld))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
