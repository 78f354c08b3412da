// Deterministic demo data for every site in the Tenant table: the pilot's partners, programs,
// asset maps, staff, clients and their social prescriptions, outcomes and readiness.
// The same seed and scale always give the same rows (ids, dates and values), so the embedded
// database of a first start, a test and a benchmark all see one known data set.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Need } from '../generated/prisma/enums.js';
import { genericProfile, PARTNERS, SITE_PROFILES } from './catalogue.js';
import { DEFAULT_SEED, scaled, siteContext, type Connectable, type SiteContext, type SiteStaff } from './context.js';
import { outcomeRows } from './outcomes.js';
import { clientRow, consentRows, drawClient, lockRows, staffRows, type ClientDraft } from './people.js';
import {
  assetConnectables,
  assetRows,
  championRows,
  networkConnectables,
  networkPrograms,
  partnerRow,
  partnershipRows,
  programConnectables,
  readinessRows,
  siteProgramRows,
} from './places.js';
import { launchPlanRows } from './launch-plans.js';
import { prescriptionsFor, siteNeedWeights } from './prescriptions.js';
import type { Rng } from './random.js';

export type SeedSummary = {
  partnerOrganizations: number;
  partnerships: number;
  staffMembers: number;
  clients: number;
  clientConsents: number;
  clientLocks: number;
  healthChampions: number;
  programs: number;
  communityAssets: number;
  socialPrescriptions: number;
  prescriptionEvents: number;
  prescriptionItems: number;
  outcomeAssessments: number;
  utilizationRecords: number;
  readinessAssessments: number;
  readinessResponses: number;
  launchActivities: number;
};

export type SeedOptions = {
  /** Multiplies clients and prescriptions (staff grow with its square root). Default 1. */
  scale?: number;
  /** PRNG seed. Default 20180901. */
  seed?: number;
};

type Db = Prisma.TransactionClient;

/** Rows per INSERT; kept under PostgreSQL's 65,535 bind parameters whatever the column count. */
const BATCH_ROWS = 2_000;
const MAX_BIND_VALUES = 30_000;
/** Clients generated and inserted at a time (with their prescriptions, events and outcomes). */
const CLIENT_CHUNK = 500;
/** Health Champions who are clients are among a site's first clients. */
const CHAMPION_CLIENT_POOL = 200;

export async function seedDemoData(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const scale = options.scale ?? 1;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`seed scale must be a positive number, not ${scale}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seed}`);

  const tenants = await prisma.tenant.findMany({ select: { id: true, city: true, languages: true }, orderBy: { id: 'asc' } });
  if (tenants.length === 0) throw new Error('no tenants: sync the tenant files before seeding demo data');

  const summary = emptySummary();
  // One transaction: a failed seed leaves nothing behind.
  await prisma.$transaction((tx) => seedAll(tx, tenants, scale, seed, summary), {
    maxWait: 60_000,
    timeout: 60 * 60_000,
  });
  return summary;
}

async function seedAll(db: Db, tenants: { id: string; city: string; languages: string[] }[], scale: number, seed: number, summary: SeedSummary): Promise<void> {
  const tenantIds = new Set(tenants.map((t) => t.id));
  const contexts = tenants.map((tenant, index) => {
    const profile = SITE_PROFILES.find((p) => p.tenantId === tenant.id) ?? genericProfile(tenant);
    return siteContext(tenant, profile, index, scale, seed);
  });

  // Network level: partners (they may already exist) and network programs.
  const partners = PARTNERS.filter((spec) => !spec.addedByTenantId || tenantIds.has(spec.addedByTenantId));
  for (const spec of partners) {
    const { id, ...fields } = partnerRow(spec);
    await db.partnerOrganization.upsert({ where: { id }, create: { id, ...fields }, update: fields });
  }
  summary.partnerOrganizations += partners.length;
  const partnerIds = new Set(partners.map((p) => p.id));
  const networkProgramRows = networkPrograms(seed, partnerIds);
  summary.programs += await insert(networkProgramRows, (data) => db.program.createMany({ data }));

  // Asset maps first: a site's NETWORK assets can be prescribed at every other site.
  const assetsBySite = new Map<string, Prisma.CommunityAssetCreateManyInput[]>();
  for (const ctx of contexts) assetsBySite.set(ctx.tenant.id, assetRows(ctx));
  const allAssets = [...assetsBySite.values()].flat();
  summary.communityAssets += await insert(allAssets, (data) => db.communityAsset.createMany({ data }));

  for (const ctx of contexts) {
    const sharedAssets = allAssets.filter((a) => a.visibility === 'NETWORK' && a.tenantId !== ctx.tenant.id);
    await seedSite(db, ctx, {
      partnerIds,
      networkProgramRows,
      assets: [...assetsBySite.get(ctx.tenant.id)!, ...sharedAssets],
      summary,
    });
  }
}

async function seedSite(
  db: Db,
  ctx: SiteContext,
  shared: {
    partnerIds: Set<string>;
    networkProgramRows: Prisma.ProgramCreateManyInput[];
    assets: Prisma.CommunityAssetCreateManyInput[];
    summary: SeedSummary;
  },
): Promise<void> {
  const { summary } = shared;
  const { rows: staffMemberRows, staff } = staffRows(ctx);

  // Clients are drawn first; their registration date follows from their first referral.
  // Champions who are clients come from the site's first clients, inserted with the first chunk.
  const clientCount = scaled(ctx.profile.clients, ctx.scale);
  const clientRng = ctx.rng.fork('clients');
  const drafts = Array.from({ length: clientCount }, (_, i) => drawClient(ctx, i, staff, clientRng));
  const champions = championRows(
    ctx,
    drafts.slice(0, CHAMPION_CLIENT_POOL).map((d) => d.id),
  );
  const partnerships = partnershipRows(ctx, shared.partnerIds);
  const activePartners = new Set(partnerships.filter((p) => p.active !== false).map((p) => p.partnerId));
  const programs = siteProgramRows(ctx, champions.refs, shared.partnerIds);
  const connectables: Connectable[] = [
    ...programConnectables(programs),
    ...networkConnectables(shared.networkProgramRows, activePartners),
    ...assetConnectables(shared.assets),
  ];
  const generate: ClientGeneration = {
    ctx,
    staff,
    connectables,
    needWeights: siteNeedWeights(ctx.profile),
    counter: { prescriptions: 0 },
    prescriptionRng: ctx.rng.fork('prescriptions'),
    peopleRng: ctx.rng.fork('consents'),
    outcomeRng: ctx.rng.fork('outcomes'),
  };

  summary.staffMembers += await insert(staffMemberRows, (data) => db.staffMember.createMany({ data }));
  // Clients and everything about them go in chunks, so memory stays flat at any scale.
  // Parents before children: the composite (tenantId, id) foreign keys need them.
  for (let start = 0; start < drafts.length; start += CLIENT_CHUNK) {
    const rows = rowsForClients(generate, drafts.slice(start, start + CLIENT_CHUNK));
    summary.clients += await insert(rows.clients, (data) => db.client.createMany({ data }));
    if (start === 0) {
      summary.healthChampions += await insert(champions.rows, (data) => db.healthChampion.createMany({ data }));
      summary.programs += await insert(programs, (data) => db.program.createMany({ data }));
      summary.partnerships += await insert(partnerships, (data) => db.partnership.createMany({ data }));
    }
    summary.clientConsents += await insert(rows.consents, (data) => db.clientConsent.createMany({ data }));
    summary.clientLocks += await insert(rows.locks, (data) => db.clientLock.createMany({ data }));
    summary.socialPrescriptions += await insert(rows.prescriptions, (data) => db.socialPrescription.createMany({ data }));
    summary.prescriptionEvents += await insert(rows.events, (data) => db.prescriptionEvent.createMany({ data }));
    summary.prescriptionItems += await insert(rows.items, (data) => db.prescriptionItem.createMany({ data }));
    summary.outcomeAssessments += await insert(rows.assessments, (data) => db.outcomeAssessment.createMany({ data }));
    summary.utilizationRecords += await insert(rows.utilization, (data) => db.utilizationRecord.createMany({ data }));
  }
  const readiness = readinessRows(ctx);
  summary.readinessAssessments += await insert(readiness.assessments, (data) => db.readinessAssessment.createMany({ data }));
  summary.readinessResponses += await insert(readiness.responses, (data) => db.readinessResponse.createMany({ data }));
  // Tenant sync gave the site a plan not started; the demo's replaces it.
  await db.launchActivity.deleteMany({ where: { tenantId: ctx.tenant.id } });
  summary.launchActivities += await insert(launchPlanRows(ctx), (data) => db.launchActivity.createMany({ data }));
}

type ClientGeneration = {
  ctx: SiteContext;
  staff: SiteStaff;
  connectables: Connectable[];
  needWeights: [Need, number][];
  counter: { prescriptions: number };
  prescriptionRng: Rng;
  peopleRng: Rng;
  outcomeRng: Rng;
};

/** The rows of some clients: the client, consents, lock-box, prescriptions and outcomes. */
function rowsForClients(g: ClientGeneration, drafts: ClientDraft[]) {
  const { ctx, staff } = g;
  const rows = {
    clients: [] as Prisma.ClientCreateManyInput[],
    consents: [] as Prisma.ClientConsentCreateManyInput[],
    locks: [] as Prisma.ClientLockCreateManyInput[],
    prescriptions: [] as Prisma.SocialPrescriptionCreateManyInput[],
    events: [] as Prisma.PrescriptionEventCreateManyInput[],
    items: [] as Prisma.PrescriptionItemCreateManyInput[],
    assessments: [] as Prisma.OutcomeAssessmentCreateManyInput[],
    utilization: [] as Prisma.UtilizationRecordCreateManyInput[],
  };
  for (const draft of drafts) {
    const made = prescriptionsFor(ctx, draft, staff, g.connectables, g.needWeights, g.counter, g.prescriptionRng);
    const firstReferral = made.summaries.reduce((min, s) => (s.referredAt < min ? s.referredAt : min), made.summaries[0]!.referredAt);
    const client = clientRow(draft, firstReferral, g.peopleRng);
    rows.clients.push(client);
    const teamCare = made.summaries.find((s) => s.fromTeamCare)?.referredAt ?? null;
    const consent = consentRows(ctx, draft, client, staff, teamCare, g.peopleRng);
    rows.consents.push(...consent.rows);
    rows.locks.push(...lockRows(ctx, draft, client, g.peopleRng));
    rows.prescriptions.push(...made.prescriptions);
    rows.events.push(...made.events);
    rows.items.push(...made.items);
    const outcomes = outcomeRows(ctx, draft, made.summaries, consent.evaluationUntil, staff, g.outcomeRng);
    rows.assessments.push(...outcomes.assessments);
    rows.utilization.push(...outcomes.utilization);
  }
  return rows;
}

async function insert<T extends object>(rows: T[], write: (batch: T[]) => Promise<{ count: number }>): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_BIND_VALUES / columns)));
  let count = 0;
  for (let start = 0; start < rows.length; start += size) {
    count += (await write(rows.slice(start, start + size))).count;
  }
  return count;
}

function emptySummary(): SeedSummary {
  return {
    partnerOrganizations: 0,
    partnerships: 0,
    staffMembers: 0,
    clients: 0,
    clientConsents: 0,
    clientLocks: 0,
    healthChampions: 0,
    programs: 0,
    communityAssets: 0,
    socialPrescriptions: 0,
    prescriptionEvents: 0,
    prescriptionItems: 0,
    outcomeAssessments: 0,
    utilizationRecords: 0,
    readinessAssessments: 0,
    readinessResponses: 0,
    launchActivities: 0,
  };
}
