// Shared pieces of the demo data generator: the fixed dates, per-site context and the
// references one generator hands to the next.
import type { Need, PrescriberKind, StaffRole } from '../generated/prisma/enums.js';
import type { SiteProfile } from './catalogue.js';
import { day, demoUuid, Rng } from './random.js';

export const DEFAULT_SEED = 20180901;

/** The pilot ran from September 2018 to December 2019; every demo date falls in between. */
export const PILOT_START = day('2018-09-01');
export const PILOT_END = day('2019-12-31');

export type TenantRow = { id: string; city: string; languages: string[] };

export type SiteContext = {
  tenant: TenantRow;
  profile: SiteProfile;
  /** Position of the site in id order: spreads the "every value somewhere" choices. */
  index: number;
  scale: number;
  seed: number;
  rng: Rng;
};

export function siteContext(tenant: TenantRow, profile: SiteProfile, index: number, scale: number, seed: number): SiteContext {
  return { tenant, profile, index, scale, seed, rng: new Rng(seed, `site:${tenant.id}`) };
}

/** A stable id for the n-th thing of a kind at a site (or "network"). */
export function idFor(seed: number, kind: string, owner: string, ...parts: (string | number)[]): string {
  return demoUuid(`${seed}:${kind}:${owner}:${parts.join(':')}`);
}

/** Scales a count at scale 1 to the requested scale (never below 1 when it was at least 1). */
export function scaled(base: number, factor: number): number {
  if (base <= 0) return 0;
  return Math.max(1, Math.round(base * factor));
}

export type StaffRef = {
  id: string;
  subject: string;
  displayName: string;
  role: StaffRole;
  prescriberKind: PrescriberKind | null;
  /** How busy a prescriber is, relative to colleagues. */
  weight: number;
};

export type SiteStaff = {
  all: StaffRef[];
  byRole: Record<StaffRole, StaffRef[]>;
};

/** Something a client can be connected to. */
export type Connectable = {
  programId: string | null;
  assetId: string | null;
  name: string;
  needs: Need[];
  /** Only suggested from this day on (the program's or asset's start). */
  availableFrom: Date;
};
