// The attacker of one period's answers. It asks for every aggregate of one period (the headline,
// every breakdown by one dimension and by every pair, outcomes and visits for everyone and through
// every equity factor), checks that every figure reads the same in every answer that holds it, and
// writes down every relation it knows between the published figures (a total is the sum of its
// cells, a margin the sum of its row). Perturbed figures keep none of those sums exactly: a
// withheld figure the relations would have given away is, from them, only known within the bounds
// of the perturbation of every figure in its relation, and those bounds must always leave it two
// values or more (or name nobody, or at least t people).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dimensionNames, dimensions, equityFactors, isAdditive, type DimensionName, type SupportDimensionName } from '../src/aggregates/dimensions.js';
import { supportOnly } from './support/aggregate-truth.js';
import { attackerBounds, perturbationOf } from '../src/aggregates/perturbation.js';
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

/**
 * Each relation with one withheld figure, solved for it as far as the bounds allow: the total less
 * the published parts, each within ±D of its truth, met with the range of a withheld figure.
 * Returns those it pins to one count of 1 to t-1.
 */
function pinned(knowledge: Knowledge, D: number, withheld: [number, number], t: number): string[] {
  const found: string[] = [];
  for (const r of knowledge.relations) {
    const figures = [r.total, ...r.parts].map((name) => [name, knowledge.figures.get(name)] as const);
    const hidden = figures.filter(([, f]) => !f || f.suppressed);
    if (hidden.length !== 1 || !knowledge.people.has(hidden[0]![0])) continue;
    const [name] = hidden[0]!;
    const rest = figures.filter(([n]) => n !== name).reduce((sum, [n, f]) => sum + (n === r.total ? 1 : -1) * f!.value!, 0);
    const estimate = name === r.total ? -rest : rest;
    const spread = D * (figures.length - 1);
    const lo = Math.max(estimate - spread, withheld[0]);
    const hi = Math.min(estimate + spread, withheld[1]);
    if (lo === hi && lo >= 1 && lo < t) found.push(`${name}: ${lo}`);
  }
  return found;
}

const clientsAdd = (d: SupportDimensionName) => d === 'SITE' || (equityFactors as readonly string[]).includes(d);
/** Every site is of one region kind: those keys add up to the total (FRANCOPHONE is counted besides). */
const regionKinds = ['URBAN', 'RURAL', 'NORTHERN'];
const prescriptionsAdd = (d: DimensionName) => dimensions[d].additive;
const cellFields = '{ keys value suppressed reason }';
const coverageFields = `{ recordedPrescriptions ${cellFields} recordedClients ${cellFields} countedPrescriptions ${cellFields}
  countedClients ${cellFields} leftOutPrescriptions ${cellFields} leftOutClients ${cellFields} }`;

describe('suppression against an attacker with every answer of a period', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  let bounds: ReturnType<typeof attackerBounds>;

  beforeAll(async () => {
    server = await startTestServer();
    bounds = attackerBounds(perturbationOf(server.testDb.config));
    headers = await network('ALLIANCE_ANALYST');
    await addSmallCells(server.db.prisma);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function ask(query: string, variables: Record<string, unknown>) {
    const result = await graphql(server, query, variables, headers);
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  async function gather(filter: { from: string; to: string; sites?: readonly string[] }): Promise<Knowledge> {
    const k = new Knowledge();
    const summary = (
      await ask(
        `query($f: AggregateFilter!) { networkSummary(filter: $f) { prescriptions ${cellFields} clients ${cellFields} providers ${cellFields}
           healthChampions ${cellFields} coverage ${coverageFields} bySite { prescriptions ${cellFields} clients ${cellFields} providers ${cellFields}
           healthChampions ${cellFields} coverage ${coverageFields} } } }`,
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
    k.relate(
      'pv',
      summary.bySite.map((s: any) => `pv|${s.clients.keys[0]}`),
    );
    k.relate(
      'hc',
      summary.bySite.map((s: any) => `hc|${s.clients.keys[0]}`),
    );
    // Consent coverage: its counted figures are the headline's; all recorded = counted + left out,
    // for the network and each site, and the sites add up to the network.
    const cover = (c: any, suffix: string) => {
      k.learn(`rx${suffix}`, c.countedPrescriptions);
      k.learn(`cl${suffix}`, c.countedClients, true);
      for (const [m, field] of [
        ['cvr', 'recorded'],
        ['cvl', 'leftOut'],
      ] as const) {
        k.learn(`${m}p${suffix}`, c[`${field}Prescriptions`]);
        k.learn(`${m}c${suffix}`, c[`${field}Clients`], true);
      }
      k.relate(`cvrp${suffix}`, [`rx${suffix}`, `cvlp${suffix}`]);
      k.relate(`cvrc${suffix}`, [`cl${suffix}`, `cvlc${suffix}`]);
    };
    cover(summary.coverage, '');
    for (const site of summary.bySite) cover(site.coverage, `|SITE|${site.clients.keys[0]}`);
    for (const m of ['cvrp', 'cvrc', 'cvlp', 'cvlc']) {
      k.relate(
        m,
        summary.bySite.map((s: any) => `${m}|SITE|${s.clients.keys[0]}`),
      );
    }

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
      if (prescriptionsAdd(d))
        k.relate(
          'rx',
          b.prescriptions.map((c: any) => `rx|${d}|${c.keys[0]}`),
        );
      if (clientsAdd(d))
        k.relate(
          'cl',
          b.clients.map((c: any) => `cl|${d}|${c.keys[0]}`),
        );
      if (d === 'REGION')
        for (const m of ['rx', 'cl'])
          k.relate(
            m,
            regionKinds.map((key) => `${m}|REGION|${key}`),
          );
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
          const kinds = (names: string[]) => names.filter((name) => regionKinds.includes(name.split('|')[2]!.split(',')[b === 'REGION' ? 1 : 0]!));
          if (b === 'REGION') for (const [key, parts] of rows) k.relate(`${measure}|${a}|${key}`, kinds(parts));
          if (a === 'REGION') for (const [key, parts] of columns) k.relate(`${measure}|${b}|${key}`, kinds(parts));
        }
      }
    }

    // The supports clients were connected to: connections (cn) and their clients (cs), by every
    // support dimension, and each support-only dimension against the site, the region and the
    // factors the small cells fall under (every pair would cost a third more time for no new cell).
    const supportAgainst = ['SITE', 'REGION', 'AGE_BAND', 'GENDER_IDENTITY', 'LANGUAGE', 'NEWCOMER'];
    const supports = async (by: SupportDimensionName[]) =>
      (
        await ask(
          `query($f: AggregateFilter!, $by: [SupportDimension!]!) { supportBreakdown(filter: $f, by: $by) {
             totalConnections ${cellFields} totalClients ${cellFields} connections ${cellFields} clients ${cellFields} } }`,
          { f: filter, by },
        )
      ).supportBreakdown;
    const relateParts = (total: string, names: string[], d: SupportDimensionName, key: (name: string) => string, adds: boolean) => {
      if (adds) k.relate(total, names);
      if (d === 'REGION')
        k.relate(
          total,
          names.filter((name) => regionKinds.includes(key(name))),
        );
    };
    for (const d of [...supportOnly, ...dimensionNames] as SupportDimensionName[]) {
      const b = await supports([d]);
      k.learn('cn', b.totalConnections);
      k.learn('cs', b.totalClients, true);
      b.connections.forEach((c: any) => k.learn(`cn|${d}|${c.keys[0]}`, c));
      b.clients.forEach((c: any) => k.learn(`cs|${d}|${c.keys[0]}`, c, true));
      const last = (name: string) => name.split('|')[2]!;
      relateParts(
        'cn',
        b.connections.map((c: any) => `cn|${d}|${c.keys[0]}`),
        d,
        last,
        isAdditive(d),
      );
      relateParts(
        'cs',
        b.clients.map((c: any) => `cs|${d}|${c.keys[0]}`),
        d,
        last,
        clientsAdd(d),
      );
    }
    for (const [i, a] of supportOnly.entries()) {
      for (const b of [...supportOnly.slice(i + 1), ...supportAgainst] as SupportDimensionName[]) {
        const table = await supports([a, b]);
        for (const [measure, cells, adds] of [
          ['cn', table.connections, isAdditive],
          ['cs', table.clients, clientsAdd],
        ] as const) {
          const rows = new Map<string, string[]>();
          const columns = new Map<string, string[]>();
          for (const c of cells) {
            const name = `${measure}|${a},${b}|${c.keys.join(',')}`;
            k.learn(name, c, measure === 'cs');
            rows.set(c.keys[0], [...(rows.get(c.keys[0]) ?? []), name]);
            columns.set(c.keys[1], [...(columns.get(c.keys[1]) ?? []), name]);
          }
          const second = (name: string) => name.split('|')[2]!.split(',')[1]!;
          for (const [key, parts] of rows) relateParts(`${measure}|${a}|${key}`, parts, b, second, adds(b));
          if (adds(a)) for (const [key, parts] of columns) k.relate(`${measure}|${b}|${key}`, parts);
        }
      }
    }

    const followUps = (equity: string | null) => (equity === null || equity === 'LANGUAGE' ? ['LATEST', 'MONTH_3', 'MONTH_6'] : ['LATEST']);
    for (const [equity, followUp] of [null, ...equityFactors].flatMap((e) => followUps(e).map((u) => [e, u] as const))) {
      const { outcomeChanges, utilizationChange } = await ask(
        `query($f: AggregateFilter!, $e: EquityFactor, $u: FollowUp) {
           outcomeChanges(filter: $f, equity: $e, followUp: $u) { instrument item keys clientsWithBoth ${cellFields} meanBaseline ${cellFields}
             meanFollowUp ${cellFields} meanChange ${cellFields} shareImproved ${cellFields} shareLonelyBefore ${cellFields} shareLonelyAfter ${cellFields} }
           utilizationChange(filter: $f, equity: $e) { keys clients ${cellFields} primaryCareBefore ${cellFields} primaryCareAfter ${cellFields}
             emergencyBefore ${cellFields} emergencyAfter ${cellFields} } }`,
        { f: filter, e: equity, u: followUp },
      );
      const group = (keys: string[]) => (keys.length ? `|${equity}|${keys[0]}` : '');
      const measureOf = (o: any) => `${o.item ? `ONS4_${o.item}` : o.instrument}@${followUp}`;
      const times = (share: Published, n: Published): Published =>
        share.suppressed || n.suppressed ? share : { ...share, value: share.value === null ? 0 : Math.round(share.value * n.value!) };
      const members = new Map<string, string[]>();
      for (const o of outcomeChanges) {
        const g = `${measureOf(o)}${group(o.keys)}`;
        k.learn(`on|${g}`, o.clientsWithBoth, true);
        k.learn(`oi|${g}`, times(o.shareImproved, o.clientsWithBoth));
        // The sum of changes is linear in what is published: mean times count.
        const sum = (mean: Published) => (mean.suppressed ? mean : { ...mean, value: (mean.value ?? 0) * o.clientsWithBoth.value });
        k.learn(`os|${g}`, sum(o.meanChange));
        k.learn(`ob|${g}`, sum(o.meanBaseline));
        k.learn(`oa|${g}`, sum(o.meanFollowUp));
        if (o.shareLonelyBefore) {
          k.learn(`olb|${g}`, times(o.shareLonelyBefore, o.clientsWithBoth));
          k.learn(`ola|${g}`, times(o.shareLonelyAfter, o.clientsWithBoth));
        }
        if (o.keys.length) members.set(measureOf(o), [...(members.get(measureOf(o)) ?? []), g]);
      }
      for (const [instrument, groups] of members) {
        for (const m of ['on', 'oi', 'os', 'ob', 'oa', ...(instrument.startsWith('UCLA_LONELINESS_3') ? ['olb', 'ola'] : [])]) {
          k.relate(
            `${m}|${instrument}`,
            groups.map((g) => `${m}|${g}`),
          );
        }
      }
      if (followUp !== 'LATEST') continue;
      for (const u of utilizationChange) {
        const g = group(u.keys);
        k.learn(`un${g}`, u.clients, true);
        for (const m of ['primaryCareBefore', 'primaryCareAfter', 'emergencyBefore', 'emergencyAfter']) k.learn(`${m}${g}`, u[m]);
      }
      const groups = utilizationChange.filter((u: any) => u.keys.length).map((u: any) => group(u.keys));
      if (groups.length) {
        for (const m of ['un', 'primaryCareBefore', 'primaryCareAfter', 'emergencyBefore', 'emergencyAfter']) {
          k.relate(
            m,
            groups.map((g: string) => `${m}${g}`),
          );
        }
      }
    }
    return k;
  }

  for (const [label, filter] of [
    ['June 2019, with known small cells', june2019],
    ['the pilot, network-wide', { from: '2018-09-01', to: '2019-12-31' }],
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
          return !f.suppressed && f.value! < 5;
        });
        expect(small).toEqual([]);
        expect([...k.figures.values()].filter((f) => f.suppressed && f.value !== null)).toEqual([]);
      });

      it('pins no withheld count from the relations between published ones', () => {
        expect(pinned(k, bounds.D, bounds.withheld, 5)).toEqual([]);
      });
    });
  }

  it('knows the small cells it was given: three Tigrinya speakers, one Somali speaker', async () => {
    const b = (await ask(`query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [LANGUAGE]) { clients ${cellFields} } }`, { f: june2019 }))
      .prescriptionBreakdown;
    const byKey = new Map(b.clients.map((c: any) => [c.keys[0], c]));
    expect(byKey.get('ti')).toEqual({ keys: ['ti'], value: null, suppressed: true, reason: 'SMALL_COUNT' });
    expect(byKey.get('so')).toEqual({ keys: ['so'], value: null, suppressed: true, reason: 'SMALL_COUNT' });
  });

  it('gives the same figure for the same people however often it is asked', async () => {
    const query = `query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [SITE, AGE_BAND]) { clients ${cellFields} } }`;
    const f = { from: '2018-09-01', to: '2019-12-31' };
    const first = await ask(query, { f });
    for (let i = 0; i < 3; i++) expect(await ask(query, { f })).toEqual(first);
  });
});
