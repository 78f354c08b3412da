// Social prescriptions of one client: the referral rows, their event history along the pathway
// and what each connected the client to.
import type { Prisma } from '../generated/prisma/client.js';
import type { Need, PrincipalKind, ReferralStatus, SupportLevel } from '../generated/prisma/enums.js';
import { GIFTS_EN, GIFTS_FR, GOALS_EN, GOALS_FR, INTERESTS_EN, INTERESTS_FR, type SiteProfile } from './catalogue.js';
import { idFor, PILOT_END, type Connectable, type SiteContext, type SiteStaff, type StaffRef } from './context.js';
import { buildPathway, type Actor } from './pathway.js';
import type { ClientDraft } from './people.js';
import { addDays, addMinutes, day, minDate, randomDay, type Rng } from './random.js';

export const REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'DRAFT',
  'REQUESTED',
  'ACCEPTED',
  'REJECTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'ENTERED_IN_ERROR',
];
export const SUPPORT_LEVELS: readonly SupportLevel[] = ['SIGNPOSTING', 'LIGHT', 'MEDIUM', 'HOLISTIC'];
export const NEEDS: readonly Need[] = [
  'SOCIAL_ISOLATION',
  'MENTAL_HEALTH',
  'PHYSICAL_ACTIVITY',
  'LEARNING',
  'ARTS_AND_CULTURE',
  'NATURE',
  'FOOD',
  'HOUSING',
  'INCOME',
  'BEREAVEMENT',
  'CAREGIVING',
  'NEWCOMER_SETTLEMENT',
  'EMPLOYMENT',
  'TRANSPORTATION',
  'DIGITAL_LITERACY',
  'ADDICTION_RECOVERY',
];

/** Roughly the pilot's Figure 7: social connection first, then mental health, activity, learning, food. */
const BASE_NEED_WEIGHTS: Record<Need, number> = {
  SOCIAL_ISOLATION: 30,
  MENTAL_HEALTH: 16,
  PHYSICAL_ACTIVITY: 12,
  LEARNING: 9,
  ARTS_AND_CULTURE: 10,
  NATURE: 6,
  FOOD: 9,
  HOUSING: 6,
  INCOME: 6,
  BEREAVEMENT: 4,
  CAREGIVING: 4,
  NEWCOMER_SETTLEMENT: 2,
  EMPLOYMENT: 3,
  TRANSPORTATION: 3,
  DIGITAL_LITERACY: 2,
  ADDICTION_RECOVERY: 2,
};

/** The site's own programs pull its referrals toward the needs they meet. */
export function siteNeedWeights(profile: SiteProfile): [Need, number][] {
  const weights = { ...BASE_NEED_WEIGHTS };
  for (const program of profile.programs) for (const need of program.needs) weights[need] += 2;
  return NEEDS.map((need) => [need, weights[need]]);
}

const STATUS_WEIGHTS: [ReferralStatus, number][] = [
  ['COMPLETED', 44],
  ['IN_PROGRESS', 14],
  ['ACCEPTED', 6],
  ['REQUESTED', 6],
  ['DRAFT', 2],
  ['ON_HOLD', 5],
  ['FAILED', 9],
  ['CANCELLED', 6],
  ['REJECTED', 5],
  ['ENTERED_IN_ERROR', 3],
];
const LEVEL_WEIGHTS: [SupportLevel, number][] = [
  ['SIGNPOSTING', 14],
  ['LIGHT', 30],
  ['MEDIUM', 31],
  ['HOLISTIC', 25],
];

/** Referral days by final status: open referrals are recent, closed ones span the pilot. */
const WINDOWS: Record<ReferralStatus, [string, string]> = {
  DRAFT: ['2019-11-18', '2019-12-20'],
  REQUESTED: ['2019-11-25', '2019-12-20'],
  ACCEPTED: ['2019-10-28', '2019-12-16'],
  IN_PROGRESS: ['2019-05-06', '2019-12-13'],
  ON_HOLD: ['2019-04-01', '2019-12-06'],
  COMPLETED: ['2018-09-04', '2019-11-29'],
  FAILED: ['2018-09-04', '2019-11-29'],
  CANCELLED: ['2018-09-04', '2019-12-10'],
  REJECTED: ['2018-09-04', '2019-12-10'],
  ENTERED_IN_ERROR: ['2018-09-04', '2019-12-10'],
};

const NOTES_EN = [
  'Client prefers morning activities.',
  'Hard of hearing: text rather than call.',
  'Needs a ride to attend anything outside town.',
  'Interested in volunteering once settled.',
  'Recently widowed; go gently.',
  'Anxious in large groups; start small.',
];
const NOTES_FR = [
  'Préfère les activités du matin.',
  'Malentendant : écrire plutôt qu’appeler.',
  'A besoin de transport pour sortir de la ville.',
  'Aimerait faire du bénévolat plus tard.',
];

export type SiteCounter = { prescriptions: number };

export type PrescriptionSummary = {
  id: string;
  status: ReferralStatus;
  referredAt: Date;
  engagedAt: Date | null;
  closedAt: Date | null;
  fromTeamCare: boolean;
};

export type ClientPrescriptions = {
  prescriptions: Prisma.SocialPrescriptionCreateManyInput[];
  events: Prisma.PrescriptionEventCreateManyInput[];
  items: Prisma.PrescriptionItemCreateManyInput[];
  summaries: PrescriptionSummary[];
};

export function prescriptionsFor(
  ctx: SiteContext,
  draft: ClientDraft,
  staff: SiteStaff,
  connectables: Connectable[],
  needWeights: [Need, number][],
  counter: SiteCounter,
  rng: Rng,
): ClientPrescriptions {
  const out: ClientPrescriptions = { prescriptions: [], events: [], items: [], summaries: [] };
  const count = rng.weighted([
    [1, 15],
    [2, 25],
    [3, 26],
    [4, 20],
    [5, 14],
  ] as const);
  for (let k = 0; k < count; k++) {
    const n = ++counter.prescriptions;
    // The site's first referral takes the next status, level and needs in turn, so every
    // value appears in the network whatever the draws.
    const first = n === 1;
    const status = first ? REFERRAL_STATUSES[ctx.index % REFERRAL_STATUSES.length]! : rng.weighted(STATUS_WEIGHTS);
    const supportLevel = first ? SUPPORT_LEVELS[ctx.index % SUPPORT_LEVELS.length]! : rng.weighted(LEVEL_WEIGHTS);
    const needs = drawNeeds(rng, needWeights, first ? [NEEDS[(ctx.index * 2) % NEEDS.length]!, NEEDS[(ctx.index * 2 + 1) % NEEDS.length]!] : []);
    const fromPartner = draft.teamCare && status !== 'DRAFT' && (k === 0 || rng.chance(0.4));
    const prescriber = fromPartner ? null : rng.chance(0.7) ? draft.mainPrescriber : rng.weighted(staff.byRole.PRESCRIBER.map((p) => [p, p.weight] as const));
    const referringSubject = fromPartner ? `teamcare.physician.${rng.int(1, 4)}` : null;
    const linkWorker = rng.chance(0.85) ? draft.linkWorker : rng.pick(staff.byRole.LINK_WORKER);
    const itemCount = supportLevel === 'SIGNPOSTING' || supportLevel === 'HOLISTIC' ? rng.int(1, 3) : rng.int(1, 2);

    const path = buildPathway(rng, {
      status,
      supportLevel,
      fromPartner,
      itemCount,
      french: draft.french,
      linkWorkerName: linkWorker.displayName,
    });

    // Place the journey in time: it must end before the pilot does.
    const last = path.steps[path.steps.length - 1]!.at;
    const span = Math.floor(last / 1440);
    const [from, to] = WINDOWS[status];
    const latest = minDate(day(to), addDays(PILOT_END, -span - 1));
    const earliest = minDate(day(from), latest);
    const referralDay = randomDay(rng, earliest, latest);
    const at = (minutes: number) => addMinutes(referralDay, minutes);

    const id = idFor(ctx.seed, 'prescription', ctx.tenant.id, n);
    const itemId = (index: number) => idFor(ctx.seed, 'item', ctx.tenant.id, n, index + 1);
    const actor = (who: Actor): { actorSubject: string; actorKind: PrincipalKind; actorStaffId: string | null } => {
      if (who === 'partner') return { actorSubject: referringSubject!, actorKind: 'PARTNER', actorStaffId: null };
      const person: StaffRef = who === 'prescriber' && prescriber ? prescriber : linkWorker;
      return { actorSubject: person.subject, actorKind: 'STAFF', actorStaffId: person.id };
    };

    // What the client was connected to: matching needs, already running on the day.
    const chosen: Connectable[] = [];
    for (const item of path.items) {
      const when = at(item.addedAt);
      const open = connectables.filter((c) => c.availableFrom <= when && !chosen.includes(c));
      const preferAssets = supportLevel === 'SIGNPOSTING' ? rng.chance(0.8) : rng.chance(0.25);
      const matching = open.filter((c) => c.needs.some((need) => needs.includes(need)));
      const pool = matching.length > 0 ? matching : open;
      const kindPool = pool.filter((c) => (preferAssets ? c.assetId : c.programId));
      const pick = kindPool.length > 0 ? rng.pick(kindPool) : pool.length > 0 ? rng.pick(pool) : null;
      if (!pick) throw new Error(`no program or asset available for ${ctx.tenant.id} on ${when.toISOString()}`);
      chosen.push(pick);
    }

    path.steps.forEach((step, e) => {
      out.events.push({
        id: idFor(ctx.seed, 'event', ctx.tenant.id, n, e + 1),
        tenantId: ctx.tenant.id,
        prescriptionId: id,
        kind: step.kind,
        fromStatus: step.fromStatus ?? null,
        toStatus: step.toStatus ?? null,
        outcome: step.outcome ?? null,
        statusReasonCode: step.statusReasonCode ?? null,
        action: step.action ?? null,
        contactResult: step.contactResult ?? null,
        assignedStaffId: step.kind === 'LINK_WORKER_ASSIGNED' ? linkWorker.id : null,
        itemId: step.item ? itemId(step.item.index) : null,
        fromItemStatus: step.item?.from ?? null,
        toItemStatus: step.item?.to ?? null,
        note: step.item ? chosen[step.item.index]!.name : (step.note ?? null),
        ...actor(step.actor),
        occurredAt: at(step.at),
      });
    });
    path.items.forEach((item, i) => {
      out.items.push({
        id: itemId(i),
        tenantId: ctx.tenant.id,
        prescriptionId: id,
        programId: chosen[i]!.programId,
        assetId: chosen[i]!.assetId,
        status: item.status,
        note: item.status === 'STOPPED' ? (draft.french ? 'A cessé d’y aller.' : 'Stopped going.') : null,
        createdAt: at(item.addedAt),
        updatedAt: at(item.updatedAt),
      });
    });

    const referredAt = at(path.steps[0]!.at);
    const closedAt = path.closedAt === null ? null : at(path.closedAt);
    out.prescriptions.push({
      id,
      tenantId: ctx.tenant.id,
      clientId: draft.id,
      prescriberId: prescriber?.id ?? null,
      linkWorkerId: path.assigned ? linkWorker.id : null,
      needs,
      supportLevel,
      goals: path.goalsSet ? rng.sample(draft.french ? GOALS_FR : GOALS_EN, rng.int(1, 3)) : [],
      interests: rng.sample(draft.french ? INTERESTS_FR : INTERESTS_EN, rng.int(1, 3)),
      gifts: rng.sample(draft.french ? GIFTS_FR : GIFTS_EN, rng.int(0, 2)),
      notes: rng.chance(0.3) ? rng.pick(draft.french ? NOTES_FR : NOTES_EN) : null,
      source: fromPartner ? 'PARTNER' : 'SITE',
      referringPartnerId: fromPartner ? 'teamcare' : null,
      referringSubject,
      status,
      outcome: path.outcome,
      statusReason: path.statusReason,
      statusReasonCode: path.statusReasonCode,
      referredAt,
      closedAt,
      version: path.steps.length,
      createdAt: referredAt,
      updatedAt: at(last),
    });
    out.summaries.push({
      id,
      status,
      referredAt,
      engagedAt: path.engagedAt === null ? null : at(path.engagedAt),
      closedAt,
      fromTeamCare: fromPartner,
    });
  }
  return out;
}

function drawNeeds(rng: Rng, weights: [Need, number][], forced: Need[]): Need[] {
  const wanted = Math.max(
    forced.length,
    rng.weighted([
      [1, 45],
      [2, 38],
      [3, 17],
    ] as const),
  );
  const needs = [...forced];
  let pool = weights.filter(([need]) => !needs.includes(need));
  while (needs.length < wanted && pool.length > 0) {
    const need = rng.weighted(pool);
    needs.push(need);
    pool = pool.filter(([other]) => other !== need);
  }
  return NEEDS.filter((need) => needs.includes(need));
}
