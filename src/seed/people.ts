// Staff and clients of a site: fictional names, chart numbers DEMO-<site>-00001, 555-01xx
// phones and @example.org emails, self-identified sociodemographics (every answer, "prefer not
// to answer" and unanswered included), consents and lock-box directives.
import { siteRoles } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { AgeBand, Answer, GenderIdentity, IncomeBand, PrescriberKind, RecordCategory, StaffRole } from '../generated/prisma/enums.js';
import { FAMILY_NAMES_EN, FAMILY_NAMES_FR, GIVEN_NAMES_EN, GIVEN_NAMES_FR } from './catalogue.js';
import { idFor, PILOT_END, PILOT_START, scaled, type SiteContext, type SiteStaff, type StaffRef } from './context.js';
import { demoPhone, postalCode } from './places.js';
import { addDays, addMinutes, day, maxDate, minDate, officeHours, randomDay, type Rng } from './random.js';

function staffCount(ctx: SiteContext, role: StaffRole): number {
  const grow = Math.sqrt(ctx.scale);
  switch (role) {
    case 'PRESCRIBER':
      return scaled(ctx.profile.prescribers, grow);
    case 'LINK_WORKER':
      return scaled(ctx.profile.linkWorkers, grow);
    case 'PROGRAM_COORDINATOR':
    case 'HEALTH_CHAMPION':
      return scaled(1, grow);
    case 'DATA_COORDINATOR':
      return scaled(1, grow / 2);
    case 'PRIVACY_OFFICER':
    case 'SITE_ADMIN':
      return 1;
  }
}

function personName(rng: Rng, french: boolean): { given: string; family: string } {
  return {
    given: rng.pick(french ? GIVEN_NAMES_FR : GIVEN_NAMES_EN),
    family: rng.pick(french ? FAMILY_NAMES_FR : FAMILY_NAMES_EN),
  };
}

function staffDisplayName(given: string, family: string, kind: PrescriberKind | null, french: boolean): string {
  switch (kind) {
    case 'PHYSICIAN':
      return `Dr. ${given} ${family}`;
    case 'NURSE_PRACTITIONER':
      return french ? `${given} ${family}, IP` : `${given} ${family}, NP`;
    case 'NURSE':
      return french ? `${given} ${family}, inf.` : `${given} ${family}, RN`;
    default:
      return `${given} ${family}`;
  }
}

export function staffRows(ctx: SiteContext): { rows: Prisma.StaffMemberCreateManyInput[]; staff: SiteStaff } {
  const rng = ctx.rng.fork('staff');
  const rows: Prisma.StaffMemberCreateManyInput[] = [];
  const taken = new Set<string>();
  const byRole = Object.fromEntries(siteRoles.map((role) => [role, [] as StaffRef[]])) as Record<StaffRole, StaffRef[]>;
  for (const role of siteRoles) {
    const count = staffCount(ctx, role);
    for (let n = 1; n <= count; n++) {
      const subject = `${ctx.tenant.id}.${role.toLowerCase()}.${n}`;
      const kind: PrescriberKind | null = role === 'PRESCRIBER' ? ctx.profile.prescriberKinds[(n - 1) % ctx.profile.prescriberKinds.length]! : null;
      const french = ctx.profile.french && rng.chance(0.85);
      // Distinct names within the site, so a list of staff reads clearly.
      let { given, family } = personName(rng, french);
      for (let attempt = 0; taken.has(`${given} ${family}`) && attempt < 20; attempt++) ({ given, family } = personName(rng, french));
      taken.add(`${given} ${family}`);
      // The site's Health Champion accounts are its named champions where there are enough.
      const champion = role === 'HEALTH_CHAMPION' ? ctx.profile.champions[n - 1] : undefined;
      const displayName = champion?.displayName ?? staffDisplayName(given, family, kind, ctx.profile.french);
      const createdAt = officeHours(rng, addDays(PILOT_START, rng.int(0, 6)));
      const id = idFor(ctx.seed, 'staff', ctx.tenant.id, subject);
      rows.push({
        id,
        tenantId: ctx.tenant.id,
        subject,
        displayName,
        roles: [role],
        prescriberKind: kind,
        email: `${subject}@example.org`,
        active: true,
        createdAt,
        updatedAt: createdAt,
      });
      byRole[role].push({ id, subject, displayName, role, prescriberKind: kind, weight: 0.4 + rng.float() * 1.2 });
    }
  }
  return { rows, staff: { all: Object.values(byRole).flat(), byRole } };
}

const AGE_BANDS: readonly AgeBand[] = [
  'UNDER_18',
  'AGE_18_24',
  'AGE_25_34',
  'AGE_35_44',
  'AGE_45_54',
  'AGE_55_64',
  'AGE_65_74',
  'AGE_75_PLUS',
  'PREFER_NOT_TO_ANSWER',
];
const AGE_RANGES: Record<AgeBand, [number, number] | null> = {
  UNDER_18: [14, 17],
  AGE_18_24: [18, 24],
  AGE_25_34: [25, 34],
  AGE_35_44: [35, 44],
  AGE_45_54: [45, 54],
  AGE_55_64: [55, 64],
  AGE_65_74: [65, 74],
  AGE_75_PLUS: [75, 93],
  PREFER_NOT_TO_ANSWER: null,
};
const GENDERS: readonly GenderIdentity[] = [
  'WOMAN',
  'MAN',
  'NON_BINARY',
  'TWO_SPIRIT',
  'TRANSGENDER_WOMAN',
  'TRANSGENDER_MAN',
  'ANOTHER_IDENTITY',
  'PREFER_NOT_TO_ANSWER',
];
const INCOMES: readonly IncomeBand[] = ['UNDER_20K', 'FROM_20K_TO_40K', 'FROM_40K_TO_60K', 'FROM_60K_TO_100K', 'OVER_100K', 'PREFER_NOT_TO_ANSWER'];
const ANSWERS: readonly Answer[] = ['YES', 'NO', 'PREFER_NOT_TO_ANSWER'];
export const RECORD_CATEGORIES: readonly RecordCategory[] = ['CONTACT', 'SOCIODEMOGRAPHICS', 'NOTES', 'ASSESSMENTS', 'UTILIZATION'];

const URBAN_DIVERSE = new Set(['centretown', 'rexdale', 'stonegate']);

export type ClientDraft = {
  id: string;
  index: number;
  row: Omit<Prisma.ClientCreateManyInput, 'createdAt' | 'updatedAt'>;
  /** Speaks French: goals and notes in French. */
  french: boolean;
  /** First referred by a TeamCare physician (NorWest). */
  teamCare: boolean;
  /** Consents to sharing with this museum partner (Toronto sites). */
  museumPartner: string | null;
  evaluationConsent: 'granted' | 'withdrawn' | 'none';
  mainPrescriber: StaffRef;
  linkWorker: StaffRef;
  /** How hard things are at baseline, 0–1, and how much that eases by month 6. */
  level: number;
  improvement: number;
};

/**
 * The first two clients of each site take the next enum values in turn (offset by the site's
 * position), so every answer appears somewhere whatever the random draws; the rest are drawn.
 */
function spread<T>(ctx: SiteContext, i: number, values: readonly T[], draw: () => T): T {
  if (i < 2) return values[(ctx.index * 2 + i) % values.length]!;
  return draw();
}

function answer(rng: Rng, yes: number): Answer | null {
  return rng.weighted<Answer | null>([
    ['YES', yes * 0.9],
    ['NO', (1 - yes) * 0.9],
    ['PREFER_NOT_TO_ANSWER', 0.04],
    [null, 0.06],
  ]);
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function drawClient(ctx: SiteContext, i: number, staff: SiteStaff, rng: Rng): ClientDraft {
  const { profile, tenant } = ctx;
  const site = tenant.id;
  const language = rng.chance(0.05) ? null : rng.weighted(profile.clientLanguages);
  const french = language === 'fr' || (language === null && profile.french);
  const { given, family } = personName(rng, french);
  const ageBand = spread(ctx, i, AGE_BANDS, () =>
    rng.weighted<AgeBand | null>([
      ['UNDER_18', 1],
      ['AGE_18_24', 4],
      ['AGE_25_34', 8],
      ['AGE_35_44', 10],
      ['AGE_45_54', 14],
      ['AGE_55_64', 20],
      ['AGE_65_74', 22],
      ['AGE_75_PLUS', 15],
      ['PREFER_NOT_TO_ANSWER', 3],
      [null, 3],
    ]),
  );
  const diverseGender = site === 'centretown' || site === 'norwest' ? 3 : 1;
  const genderIdentity = spread(ctx, i, GENDERS, () =>
    rng.weighted<GenderIdentity | null>([
      ['WOMAN', 58],
      ['MAN', 33],
      ['NON_BINARY', 2 * diverseGender],
      ['TWO_SPIRIT', site === 'norwest' ? 3 : 0.5],
      ['TRANSGENDER_WOMAN', 1 * diverseGender],
      ['TRANSGENDER_MAN', 1 * diverseGender],
      ['ANOTHER_IDENTITY', 1],
      ['PREFER_NOT_TO_ANSWER', 2],
      [null, 2],
    ]),
  );
  const incomeBand = spread(ctx, i, INCOMES, () =>
    rng.weighted<IncomeBand | null>([
      ['UNDER_20K', 35],
      ['FROM_20K_TO_40K', 28],
      ['FROM_40K_TO_60K', 14],
      ['FROM_60K_TO_100K', 9],
      ['OVER_100K', 3],
      ['PREFER_NOT_TO_ANSWER', 7],
      [null, 4],
    ]),
  );
  const urban = URBAN_DIVERSE.has(site);
  const age = ageBand ? AGE_RANGES[ageBand] : null;
  const years = age ? rng.int(age[0], age[1]) : null;
  const dateOfBirth = years === null || rng.chance(0.05) ? null : addDays(day('2018-09-01'), -Math.floor(years * 365.25) - rng.int(1, 364));
  const number = String(i + 1).padStart(5, '0');
  const emailName = `${asciiSlug(given)}.${asciiSlug(family)}.${profile.code.toLowerCase()}${i + 1}`;
  const prescribers = staff.byRole.PRESCRIBER;
  const linkWorkers = staff.byRole.LINK_WORKER;
  const evaluationConsent = rng.weighted<ClientDraft['evaluationConsent']>([
    ['granted', 86],
    ['withdrawn', 6],
    ['none', 8],
  ]);
  const museumPartner = profile.museumConsentShare && rng.chance(profile.museumConsentShare) ? rng.pick(['rom', 'ago']) : null;
  return {
    id: idFor(ctx.seed, 'client', site, i + 1),
    index: i,
    row: {
      id: idFor(ctx.seed, 'client', site, i + 1),
      tenantId: site,
      chartNumber: `DEMO-${profile.code}-${number}`,
      givenName: given,
      familyName: family,
      dateOfBirth,
      phone: rng.chance(0.88) ? demoPhone(rng, profile.areaCode) : null,
      email: rng.chance(0.45) ? `${emailName}@example.org` : null,
      postalCode: rng.chance(0.92) ? postalCode(rng, profile) : null,
      ageBand,
      genderIdentity,
      preferredLanguage: language,
      incomeBand,
      racialized: spread(ctx, i, ANSWERS, () => answer(rng, urban ? 0.6 : 0.08)),
      indigenous: spread(ctx, i, ANSWERS, () => answer(rng, site === 'norwest' ? 0.28 : 0.04)),
      lgbtq2s: spread(ctx, i, ANSWERS, () => answer(rng, site === 'centretown' ? 0.3 : 0.07)),
      newcomer: spread(ctx, i, ANSWERS, () => answer(rng, urban ? 0.32 : 0.03)),
      livesAlone: spread(ctx, i, ANSWERS, () => answer(rng, 0.45)),
      disability: spread(ctx, i, ANSWERS, () => answer(rng, 0.3)),
      version: 1,
    },
    french,
    teamCare: !!profile.teamCareShare && rng.chance(profile.teamCareShare),
    museumPartner,
    evaluationConsent,
    mainPrescriber: rng.weighted(prescribers.map((p) => [p, p.weight] as const)),
    linkWorker: rng.pick(linkWorkers),
    level: 0,
    improvement: 0,
  };
}

/** The client row, registered a little before their first referral. */
export function clientRow(draft: ClientDraft, firstReferral: Date, rng: Rng): Prisma.ClientCreateManyInput {
  const registered = maxDate(PILOT_START, addDays(firstReferral, -rng.int(1, 21)));
  const createdAt = officeHours(rng, registered);
  return { ...draft.row, createdAt, updatedAt: createdAt };
}

export function consentRows(
  ctx: SiteContext,
  draft: ClientDraft,
  client: Prisma.ClientCreateManyInput,
  staff: SiteStaff,
  teamCareReferral: Date | null,
  rng: Rng,
): { rows: Prisma.ClientConsentCreateManyInput[]; evaluationUntil: Date | null } {
  const rows: Prisma.ClientConsentCreateManyInput[] = [];
  const registered = client.createdAt as Date;
  const recorder = () => rng.pick([draft.linkWorker, draft.mainPrescriber, ...staff.byRole.DATA_COORDINATOR]);
  const push = (kind: 'EVALUATION_USE' | 'PARTNER_SHARING', partnerId: string | null, status: 'GRANTED' | 'WITHDRAWN', at: Date, note: string | null) => {
    rows.push({
      id: idFor(ctx.seed, 'consent', ctx.tenant.id, draft.index + 1, rows.length + 1),
      tenantId: ctx.tenant.id,
      clientId: draft.id,
      kind,
      partnerId,
      status,
      recordedById: recorder().id,
      recordedAt: at,
      note,
    });
  };
  let evaluationUntil: Date | null = null;
  if (draft.evaluationConsent !== 'none') {
    push('EVALUATION_USE', null, 'GRANTED', addMinutes(registered, 10), null);
    evaluationUntil = PILOT_END;
    if (draft.evaluationConsent === 'withdrawn') {
      const from = addDays(registered, 30);
      if (from < PILOT_END) {
        const at = officeHours(rng, randomDay(rng, from, addDays(PILOT_END, -1)));
        push(
          'EVALUATION_USE',
          null,
          'WITHDRAWN',
          at,
          ctx.profile.french
            ? 'Le client ne souhaite plus participer à l’évaluation.'
            : 'Client asked that their answers no longer be used for the evaluation.',
        );
        evaluationUntil = at;
      }
    }
  }
  if (teamCareReferral) {
    push(
      'PARTNER_SHARING',
      'teamcare',
      'GRANTED',
      addMinutes(teamCareReferral, 60 * 24 + rng.int(0, 120)),
      'Consent to share referral status with the TeamCare physician.',
    );
  }
  if (draft.museumPartner) {
    const at = officeHours(rng, addDays(registered, rng.int(7, 60)));
    if (at < PILOT_END) {
      push('PARTNER_SHARING', draft.museumPartner, 'GRANTED', at, 'Verbal consent to share name and visit dates with the museum.');
      if (rng.chance(0.1) && addDays(at, 30) < PILOT_END) {
        push('PARTNER_SHARING', draft.museumPartner, 'WITHDRAWN', officeHours(rng, randomDay(rng, addDays(at, 30), addDays(PILOT_END, -1))), null);
      }
    }
  }
  return { rows, evaluationUntil };
}

export function lockRows(ctx: SiteContext, draft: ClientDraft, client: Prisma.ClientCreateManyInput, rng: Rng): Prisma.ClientLockCreateManyInput[] {
  // A few clients lock part of their record; the fourth client of every site always does.
  if (!(draft.index === 3 || rng.chance(0.025))) return [];
  const registered = client.createdAt as Date;
  const categories = rng.sample(
    RECORD_CATEGORIES,
    rng.weighted([
      [1, 70],
      [2, 30],
    ] as const),
  );
  return categories.map((category, n) => {
    const createdAt = officeHours(rng, minDate(addDays(registered, rng.int(1, 45)), addDays(PILOT_END, -1)));
    const release = rng.chance(0.25) && addDays(createdAt, 30) < PILOT_END;
    return {
      id: idFor(ctx.seed, 'lock', ctx.tenant.id, draft.index + 1, n + 1),
      tenantId: ctx.tenant.id,
      clientId: draft.id,
      category,
      allowedStaffIds: [draft.mainPrescriber.id, draft.linkWorker.id],
      createdAt,
      releasedAt: release ? officeHours(rng, randomDay(rng, addDays(createdAt, 30), addDays(PILOT_END, -1))) : null,
    };
  });
}
