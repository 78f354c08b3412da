// The ground truth of the aggregates, from the owner connection (no row-level security, no SQL
// function): the prescriptions an aggregate counts, the key each falls under, and counts per key.
import type { PrismaClient, Prisma } from '../../src/generated/prisma/client.js';
import type { DimensionName } from '../../src/aggregates/dimensions.js';

export type Filter = { from: string; to: string; sites?: readonly string[] };
export type Counted = Prisma.SocialPrescriptionGetPayload<{ include: { client: { include: { locks: true } }; items: true; tenant: true } }>;

/** Prescriptions of the period and sites, not entered in error, of clients whose newest evaluation consent is a grant. */
export async function counted(owner: PrismaClient, filter: Filter): Promise<Counted[]> {
  const consents = await owner.clientConsent.findMany({ where: { kind: 'EVALUATION_USE' }, orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }] });
  const newest = new Map(consents.map((c) => [c.clientId, c.status]));
  const end = new Date(`${filter.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const rows = await owner.socialPrescription.findMany({
    where: {
      status: { not: 'ENTERED_IN_ERROR' },
      referredAt: { gte: new Date(`${filter.from}T00:00:00Z`), lt: end },
      ...(filter.sites ? { tenantId: { in: [...filter.sites] } } : {}),
    },
    include: { client: { include: { locks: true } }, items: true, tenant: true },
  });
  return rows.filter((p) => newest.get(p.clientId) === 'GRANTED');
}

/** Languages the aggregates name; any other counts under OTHER (agg_languages in the cell-keys migration). */
const named = new Set(['en', 'fr', 'ar', 'es', 'fa', 'fi', 'oj', 'cr', 'pa', 'pt', 'so', 'ta', 'ti', 'tl', 'ur', 'vi', 'zh', 'hi', 'gu', 'it']);

export const keysOf = (p: Counted, d: DimensionName): string[] => {
  const c = p.client;
  // A client's locked sociodemographics count as not recorded.
  const locked = c.locks.some((l) => l.category === 'SOCIODEMOGRAPHICS' && !l.releasedAt);
  const or = (v: string | null) => [locked || v === null ? 'NOT_RECORDED' : v];
  switch (d) {
    case 'SITE':
      return [p.tenantId];
    case 'REGION':
      // Its region kind, and FRANCOPHONE for a site whose tenant file names French first.
      return p.tenant.languages[0] === 'fr' ? [p.tenant.regionKind, 'FRANCOPHONE'] : [p.tenant.regionKind];
    case 'NEED':
      return p.needs.length ? [...new Set(p.needs)] : ['NOT_RECORDED'];
    case 'SUPPORT_LEVEL':
      return [p.supportLevel];
    case 'STATUS':
      return [p.status];
    case 'OUTCOME':
      return [p.outcome ?? 'NOT_RECORDED'];
    case 'SOURCE':
      return [p.source];
    case 'MONTH':
      return [p.referredAt.toISOString().slice(0, 7)];
    case 'AGE_BAND':
      return or(c.ageBand);
    case 'GENDER_IDENTITY':
      return or(c.genderIdentity);
    case 'LANGUAGE':
      return or(c.preferredLanguage === null || named.has(c.preferredLanguage) ? c.preferredLanguage : 'OTHER');
    case 'INCOME_BAND':
      return or(c.incomeBand);
    case 'RACIALIZED':
      return or(c.racialized);
    case 'INDIGENOUS':
      return or(c.indigenous);
    case 'LGBTQ2S':
      return or(c.lgbtq2s);
    case 'NEWCOMER':
      return or(c.newcomer);
    case 'LIVES_ALONE':
      return or(c.livesAlone);
    case 'DISABILITY':
      return or(c.disability);
  }
};

export type Tally = Map<string, { prescriptions: number; clients: Set<string> }>;

export function tally(rows: Counted[], key: (p: Counted) => string[]): Tally {
  const groups: Tally = new Map();
  for (const p of rows) {
    for (const k of key(p)) {
      const g = groups.get(k) ?? { prescriptions: 0, clients: new Set<string>() };
      g.prescriptions++;
      g.clients.add(p.clientId);
      groups.set(k, g);
    }
  }
  return groups;
}

export type SupportDimension = 'SUPPORT_CATEGORY' | 'SUPPORT_KIND' | 'ITEM_STATUS';
export const supportOnly: readonly SupportDimension[] = ['SUPPORT_CATEGORY', 'SUPPORT_KIND', 'ITEM_STATUS'];

/**
 * The keys a connection (prescription item) falls under: its program's needs or its asset's
 * categories (NOT_RECORDED for none), what it is (a program of the site, a partner's, one a
 * Health Champion leads, or an asset), its status; any other dimension its prescription's.
 */
export async function supportKeys(owner: PrismaClient) {
  const programs = new Map((await owner.program.findMany()).map((p) => [p.id, p]));
  const assets = new Map((await owner.communityAsset.findMany()).map((a) => [a.id, a]));
  const kinds = { SITE: 'PROGRAM', PARTNER: 'PARTNER_PROGRAM', HEALTH_CHAMPION: 'HEALTH_CHAMPION_LED' } as const;
  return (p: Counted, item: Counted['items'][number], d: SupportDimension | DimensionName): string[] => {
    const program = item.programId ? programs.get(item.programId) : undefined;
    switch (d) {
      case 'SUPPORT_CATEGORY': {
        const categories = program ? program.needs : (assets.get(item.assetId!)?.categories ?? []);
        return categories.length ? [...new Set(categories)] : ['NOT_RECORDED'];
      }
      case 'SUPPORT_KIND':
        return [program ? kinds[program.runBy] : 'ASSET'];
      case 'ITEM_STATUS':
        return [item.status];
      default:
        return keysOf(p, d);
    }
  };
}
