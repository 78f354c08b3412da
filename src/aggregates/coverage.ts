// Consent coverage beside a headline: the prescriptions of the period and their clients, all of
// them, those counted (evaluation consent in force) and those left out. Three tables (recorded,
// counted, left out), each a total and its sites, each count perturbed by its own cell key and
// withheld as the headline's are; the counted ones are the headline's own figures.
import DataLoader from 'dataloader';
import { builder } from '../graphql/builder.js';
import { perRequest } from '../graphql/context.js';
import { CellRef, countCell, groupCell, type Cell, type Status } from './cell.js';
import type { Scope } from './filter.js';
import { perturbCount } from './perturbation.js';
import { coverageCounts, type CoverageCounts } from './queries.js';

export type ConsentCoverageValue = {
  recordedPrescriptions: Cell;
  recordedClients: Cell;
  countedPrescriptions: Cell;
  countedClients: Cell;
  leftOutPrescriptions: Cell;
  leftOutClients: Cell;
};
type Coverage = { total: ConsentCoverageValue; bySite: Map<string, ConsentCoverageValue> };

const measures = ['recorded', 'counted', 'left_out'] as const;
type Measure = (typeof measures)[number];
const nobody = Object.fromEntries(
  measures.flatMap((m) => [`${m}_prescriptions`, `${m}_prescription_key`, `${m}_clients`, `${m}_client_key`].map((k) => [k, 0])),
) as Omit<CoverageCounts, 'site' | 'grouped'>;

function coverageOf(rows: CoverageCounts[], scope: Scope): Coverage {
  const p = scope.perturbation;
  const figures = (keys: string[], r: Omit<CoverageCounts, 'site' | 'grouped'>, within: Record<Measure, Status>) => {
    const table = (m: Measure) => {
      const clients = countCell(keys, perturbCount(p, r[`${m}_clients`], r[`${m}_client_key`]), within[m]);
      const prescriptions = clients.suppressed
        ? groupCell(keys, null, clients)
        : countCell(keys, perturbCount(p, r[`${m}_prescriptions`], r[`${m}_prescription_key`]));
      return { clients, prescriptions };
    };
    const [recorded, counted, leftOut] = measures.map(table) as [ReturnType<typeof table>, ReturnType<typeof table>, ReturnType<typeof table>];
    return {
      recordedPrescriptions: recorded.prescriptions,
      recordedClients: recorded.clients,
      countedPrescriptions: counted.prescriptions,
      countedClients: counted.clients,
      leftOutPrescriptions: leftOut.prescriptions,
      leftOutClients: leftOut.clients,
    };
  };
  const total = figures([], rows.find((r) => r.grouped === 1) ?? nobody, { recorded: null, counted: null, left_out: null });
  // A site's figures break the total down by SITE: with a total withheld, so are its sites'.
  const within = {
    recorded: total.recordedClients.suppressed ? ('SMALL_TABLE' as const) : null,
    counted: total.countedClients.suppressed ? ('SMALL_TABLE' as const) : null,
    left_out: total.leftOutClients.suppressed ? ('SMALL_TABLE' as const) : null,
  };
  const perSite = new Map(rows.filter((r) => r.grouped === 0).map((r) => [r.site!, r]));
  return { total, bySite: new Map(scope.sites.map((site) => [site, figures([site], perSite.get(site) ?? nobody, within)])) };
}

/** The coverage of a scope, computed once per request whichever figures ask for it. */
export const coverage = perRequest(
  (ctx) =>
    new DataLoader<Scope, Coverage, string>((scopes) => Promise.all(scopes.map(async (scope) => coverageOf(await coverageCounts(ctx.db, scope), scope))), {
      cacheKeyFn: (scope) => JSON.stringify([scope.from, scope.to, scope.sites]),
      batch: false,
    }),
);

export const ConsentCoverageRef = builder.objectRef<ConsentCoverageValue>('ConsentCoverage').implement({
  authz: 'reached',
  description:
    'How many of the prescriptions of the period (entered-in-error ones left out) and of their clients the figures count: only clients whose evaluation consent is in force are counted. Each count is perturbed and withheld like any other; the counted ones are the headline’s own figures.',
  fields: (t) => ({
    recordedPrescriptions: t.expose('recordedPrescriptions', { type: CellRef, description: 'Prescriptions made, counted or not.' }),
    recordedClients: t.expose('recordedClients', { type: CellRef, description: 'Distinct clients prescribed to, counted or not.' }),
    countedPrescriptions: t.expose('countedPrescriptions', {
      type: CellRef,
      description: 'Prescriptions counted: of clients whose evaluation consent is in force.',
    }),
    countedClients: t.expose('countedClients', { type: CellRef, description: 'Clients counted: their evaluation consent is in force.' }),
    leftOutPrescriptions: t.expose('leftOutPrescriptions', {
      type: CellRef,
      description: 'Prescriptions left out: their client has no evaluation consent in force (never given, or withdrawn).',
    }),
    leftOutClients: t.expose('leftOutClients', { type: CellRef, description: 'Clients left out: no evaluation consent in force.' }),
  }),
});
