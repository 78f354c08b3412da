// The REGION dimension: which regions a site counts under (agg_regions in the pilot-figures
// migration says the same in SQL), and which regions of an answer cover fewer than two of its
// sites. Those are withheld whatever they count: a region of one site is that site by another name.
// The rule reads only the tenant files, never who is counted, so it says nothing about anyone.
import type { RegionKind } from '../generated/prisma/enums.js';
import type { RequestDb } from '../db/request-scope.js';
import type { Status } from './cell.js';
import type { SupportDimensionName } from './dimensions.js';
import type { Scope } from './filter.js';

export const MIN_SITES_PER_REGION = 2;

/** A site's regions: its region kind, and FRANCOPHONE when its main language is French. */
export const regionsOf = (site: { regionKind: RegionKind; languages: string[] }): string[] =>
  site.languages[0] === 'fr' ? [site.regionKind, 'FRANCOPHONE'] : [site.regionKind];

export type KeyRule = (dimension: SupportDimensionName, key: string) => Status;

/** The status every figure about a key starts from: ONE_SITE for a region of fewer than two of the answer's sites. */
export async function regionRule(db: RequestDb, by: readonly SupportDimensionName[], scope: Scope): Promise<KeyRule> {
  if (!by.includes('REGION')) return () => null;
  const sites = await db.tenant.findMany({ where: { id: { in: scope.sites } }, select: { regionKind: true, languages: true } });
  const covered = new Map<string, number>();
  for (const region of sites.flatMap(regionsOf)) covered.set(region, (covered.get(region) ?? 0) + 1);
  return (dimension, key) => (dimension === 'REGION' && (covered.get(key) ?? 0) < MIN_SITES_PER_REGION ? 'ONE_SITE' : null);
}
