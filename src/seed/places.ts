// The community side of a site: partner organizations and partnerships, programs, Health
// Champions, the asset map and the readiness checklist.
import type { Prisma } from '../generated/prisma/client.js';
import type { ReadinessAnswer } from '../generated/prisma/enums.js';
import {
  ASSET_TEMPLATES,
  GIVEN_NAMES_EN,
  GIVEN_NAMES_FR,
  FAMILY_NAMES_EN,
  FAMILY_NAMES_FR,
  NETWORK_PROGRAMS,
  READINESS_ITEMS,
  type AssetSpec,
  type PartnerSpec,
  type ProgramSpec,
  type SiteProfile,
} from './catalogue.js';
import { idFor, PILOT_START, scaled, type Connectable, type SiteContext } from './context.js';
import { addDays, day, officeHours, randomDay, Rng } from './random.js';

export function partnerRow(spec: PartnerSpec): Prisma.PartnerOrganizationCreateManyInput {
  const at = day('2018-09-01');
  return {
    id: spec.id,
    name: spec.name,
    kind: spec.kind,
    isHealthCustodian: spec.isHealthCustodian,
    website: spec.website,
    description: spec.description,
    addedByTenantId: spec.addedByTenantId ?? null,
    createdAt: addDays(at, 0.6),
    updatedAt: addDays(at, 0.6),
  };
}

function programRow(seed: number, tenantId: string | null, spec: ProgramSpec, healthChampionId: string | null, rng: Rng): Prisma.ProgramCreateManyInput {
  const started = officeHours(rng, day(spec.startedOn));
  return {
    id: idFor(seed, 'program', tenantId ?? 'network', spec.key),
    tenantId,
    name: spec.name,
    description: spec.description,
    runBy: spec.runBy,
    partnerId: spec.partnerId ?? null,
    healthChampionId,
    needs: spec.needs,
    schedule: spec.schedule,
    capacity: spec.capacity ?? null,
    languages: spec.languages,
    cost: spec.cost ?? 'FREE',
    location: spec.location ?? null,
    active: spec.active ?? true,
    createdAt: started,
    updatedAt: started,
  };
}

export function networkPrograms(seed: number, partnerIds: Set<string>): Prisma.ProgramCreateManyInput[] {
  const rng = new Rng(seed, 'network-programs');
  return NETWORK_PROGRAMS.filter((spec) => !spec.partnerId || partnerIds.has(spec.partnerId)).map((spec) => programRow(seed, null, spec, null, rng));
}

/** Network programs a site may prescribe: those of partners it has an active partnership with. */
export function networkConnectables(rows: Prisma.ProgramCreateManyInput[], activePartners: Set<string>): Connectable[] {
  return rows
    .filter((row) => row.partnerId && activePartners.has(row.partnerId))
    .map((row) => ({
      programId: row.id!,
      assetId: null,
      name: row.name,
      needs: row.needs as Connectable['needs'],
      availableFrom: row.createdAt as Date,
    }));
}

export function partnershipRows(ctx: SiteContext, partnerIds: Set<string>): Prisma.PartnershipCreateManyInput[] {
  const rng = ctx.rng.fork('partnerships');
  return ctx.profile.partnerships
    .filter((spec) => partnerIds.has(spec.partnerId))
    .map((spec) => {
      const startedOn = day(spec.startedOn);
      const createdAt = officeHours(rng, addDays(startedOn, -rng.int(1, 10)));
      return {
        id: idFor(ctx.seed, 'partnership', ctx.tenant.id, spec.partnerId),
        tenantId: ctx.tenant.id,
        partnerId: spec.partnerId,
        scopes: spec.scopes,
        active: spec.active ?? true,
        startedOn,
        note: spec.note ?? null,
        createdAt: createdAt < PILOT_START ? officeHours(rng, PILOT_START) : createdAt,
        updatedAt: createdAt < PILOT_START ? officeHours(rng, PILOT_START) : createdAt,
      };
    });
}

export type ChampionRef = { id: string; displayName: string };

/** Health Champions of the site; `clientIds` are the clients some of them are. */
export function championRows(ctx: SiteContext, clientIds: string[]): { rows: Prisma.HealthChampionCreateManyInput[]; refs: ChampionRef[] } {
  const rng = ctx.rng.fork('champions');
  const specs = [...ctx.profile.champions];
  const extra = scaled(specs.length, Math.sqrt(ctx.scale)) - specs.length;
  for (let n = 1; n <= extra; n++) {
    const given = rng.pick(ctx.profile.french ? GIVEN_NAMES_FR : GIVEN_NAMES_EN);
    const family = rng.pick(ctx.profile.french ? FAMILY_NAMES_FR : FAMILY_NAMES_EN);
    specs.push({
      displayName: `${given} ${family}`,
      gifts: rng.sample(['listening', 'baking', 'driving', 'crafts', 'music', 'gardening', 'hosting'], 2),
      isClient: rng.chance(0.5),
      since: randomDay(rng, day('2018-10-01'), day('2019-09-30')).toISOString().slice(0, 10),
      active: rng.chance(0.9),
    });
  }
  const linkable = rng.sample(clientIds, specs.filter((spec) => spec.isClient).length);
  const rows = specs.map((spec, i): Prisma.HealthChampionCreateManyInput => {
    const since = day(spec.since);
    const createdAt = officeHours(rng, since < PILOT_START ? addDays(PILOT_START, rng.int(1, 5)) : since);
    return {
      id: idFor(ctx.seed, 'champion', ctx.tenant.id, i + 1),
      tenantId: ctx.tenant.id,
      displayName: spec.displayName,
      clientId: spec.isClient ? (linkable.shift() ?? null) : null,
      gifts: spec.gifts,
      active: spec.active ?? true,
      since,
      createdAt,
      updatedAt: createdAt,
    };
  });
  return { rows, refs: rows.map((row) => ({ id: row.id!, displayName: row.displayName })) };
}

export function siteProgramRows(ctx: SiteContext, champions: ChampionRef[], partnerIds: Set<string>): Prisma.ProgramCreateManyInput[] {
  const rng = ctx.rng.fork('programs');
  return ctx.profile.programs
    .filter((spec) => !spec.partnerId || partnerIds.has(spec.partnerId))
    .map((spec) => {
      const champion = spec.runBy === 'HEALTH_CHAMPION' ? (champions[spec.champion ?? 0] ?? champions[0]) : undefined;
      if (spec.runBy === 'HEALTH_CHAMPION' && !champion) {
        return programRow(ctx.seed, ctx.tenant.id, { ...spec, runBy: 'SITE' }, null, rng);
      }
      return programRow(ctx.seed, ctx.tenant.id, spec, champion?.id ?? null, rng);
    });
}

export function programConnectables(rows: Prisma.ProgramCreateManyInput[]): Connectable[] {
  return rows.map((row) => ({
    programId: row.id!,
    assetId: null,
    name: row.name,
    needs: row.needs as Connectable['needs'],
    availableFrom: row.createdAt as Date,
  }));
}

const STREETS_EN = ['Example Street', 'Sample Avenue', 'Demo Road', 'Placeholder Lane', 'Fictional Crescent'];
const STREETS_FR = ['rue Exemple', 'avenue Démo', 'chemin Fictif', 'rue du Modèle'];
const ACCESSIBILITY = ['wheelchair accessible', 'accessible washroom', 'near public transit', 'free parking', 'ASL on request', 'quiet space'];

export function assetRows(ctx: SiteContext): Prisma.CommunityAssetCreateManyInput[] {
  const rng = ctx.rng.fork('assets');
  const { profile, tenant } = ctx;
  const specs: AssetSpec[] = [...profile.assets];
  for (const template of ASSET_TEMPLATES) {
    specs.push({
      key: template.key,
      name: (profile.french ? template.fr : template.en).replace('{place}', profile.place),
      kind: template.kind,
      categories: template.categories,
      description: template.description[profile.french ? 1 : 0],
      cost: template.cost,
      costNote: template.costNote,
      accessibility: template.accessibility,
    });
  }
  const extra = Math.round(4 * (Math.sqrt(ctx.scale) - 1));
  for (let n = 1; n <= extra; n++) {
    specs.push({
      key: `neighbourhood-circle-${n}`,
      name: profile.french ? `Cercle de quartier no ${n} de ${profile.place}` : `${profile.place} Neighbourhood Circle ${n}`,
      kind: 'GROUP',
      categories: rng.sample(['SOCIAL_ISOLATION', 'ARTS_AND_CULTURE', 'PHYSICAL_ACTIVITY', 'LEARNING', 'FOOD'] as const, 2),
      description: profile.french ? 'Rencontres de voisins, une fois par semaine.' : 'Neighbours meeting once a week.',
    });
  }
  // Now and then a business closes.
  const retiring = rng.chance(0.4) ? rng.pick(specs.filter((spec) => spec.kind === 'BUSINESS')).key : null;
  const defaultLanguages = profile.french ? ['fr', 'en'] : tenant.languages.length > 0 ? tenant.languages : ['en'];
  return specs.map((spec): Prisma.CommunityAssetCreateManyInput => {
    // The rapid asset mapping happened as the pilot began; later finds came over the winter.
    const mapped = spec.key.startsWith('neighbourhood-circle-')
      ? randomDay(rng, addDays(PILOT_START, 30), day('2019-03-29'))
      : randomDay(rng, addDays(PILOT_START, 1), addDays(PILOT_START, 3));
    const createdAt = officeHours(rng, mapped);
    return {
      id: idFor(ctx.seed, 'asset', tenant.id, spec.key),
      tenantId: tenant.id,
      name: spec.name,
      kind: spec.kind,
      categories: spec.categories,
      description: spec.description,
      address: `${rng.int(10, 990)} ${rng.pick(profile.french ? STREETS_FR : STREETS_EN)}`,
      city: tenant.city,
      postalCode: postalCode(rng, profile),
      latitude: profile.latitude === null ? null : round6(profile.latitude + rng.normal(0, 0.012)),
      longitude: profile.longitude === null ? null : round6(profile.longitude + rng.normal(0, 0.016)),
      phone: rng.chance(0.8) ? demoPhone(rng, profile.areaCode) : null,
      email: rng.chance(0.5) ? `info.${spec.key}@${tenant.id}.example.org` : null,
      website: spec.website ?? `https://example.org/demo/${tenant.id}/${spec.key}`,
      cost: spec.cost ?? 'FREE',
      costNote: spec.costNote ?? null,
      languages: spec.languages ?? defaultLanguages,
      accessibility: spec.accessibility ?? rng.sample(ACCESSIBILITY, rng.int(0, 2)),
      visibility: spec.visibility ?? 'SITE',
      retiredAt: spec.key === retiring ? officeHours(rng, randomDay(rng, day('2019-07-01'), day('2019-11-29'))) : null,
      createdAt,
      updatedAt: createdAt,
    };
  });
}

/** Assets that can still be suggested (not retired). */
export function assetConnectables(rows: Prisma.CommunityAssetCreateManyInput[]): Connectable[] {
  return rows
    .filter((row) => !row.retiredAt)
    .map((row) => ({
      programId: null,
      assetId: row.id!,
      name: row.name,
      needs: row.categories as Connectable['needs'],
      availableFrom: row.createdAt as Date,
    }));
}

export function readinessRows(ctx: SiteContext): {
  assessments: Prisma.ReadinessAssessmentCreateManyInput[];
  responses: Prisma.ReadinessResponseCreateManyInput[];
} {
  const rng = ctx.rng.fork('readiness');
  const tilt = ctx.profile.readiness;
  const rounds = [
    { on: addDays(day('2018-09-04'), ctx.index % 5), note: 'Baseline readiness checklist, at the start of the pilot.' },
    { on: addDays(day('2019-06-17'), ctx.index % 5), note: 'Mid-pilot check-in with the implementation team.' },
  ];
  const assessments: Prisma.ReadinessAssessmentCreateManyInput[] = [];
  const responses: Prisma.ReadinessResponseCreateManyInput[] = [];
  let previous = new Map<string, ReadinessAnswer>();
  rounds.forEach((round, r) => {
    const assessmentId = idFor(ctx.seed, 'readiness', ctx.tenant.id, r + 1);
    assessments.push({
      id: assessmentId,
      tenantId: ctx.tenant.id,
      assessedOn: round.on,
      note: round.note,
      createdAt: officeHours(rng, addDays(round.on, 1)),
    });
    const current = new Map<string, ReadinessAnswer>();
    READINESS_ITEMS.forEach((item, i) => {
      let answer: ReadinessAnswer;
      const before = previous.get(item);
      if (!before) {
        answer =
          tilt[item] ??
          rng.weighted<ReadinessAnswer>([
            ['YES', 30],
            ['PARTLY', 45],
            ['NO', 25],
          ]);
        // Every site starts with at least one gap and one strength.
        if (i === (ctx.index * 5) % READINESS_ITEMS.length && !tilt[item]) answer = 'NO';
        if (i === (ctx.index * 7 + 3) % READINESS_ITEMS.length && !tilt[item]) answer = 'YES';
      } else if (before === 'NO') {
        answer = rng.chance(0.6) ? 'PARTLY' : 'NO';
      } else if (before === 'PARTLY') {
        answer = rng.chance(0.5) ? 'YES' : 'PARTLY';
      } else {
        answer = 'YES';
      }
      current.set(item, answer);
      responses.push({
        id: idFor(ctx.seed, 'readiness-response', ctx.tenant.id, r + 1, item),
        tenantId: ctx.tenant.id,
        assessmentId,
        item,
        answer,
        note: answer === 'PARTLY' && rng.chance(0.3) ? 'Working on it with the staff circle.' : null,
      });
    });
    previous = current;
  });
  return { assessments, responses };
}

export function demoPhone(rng: Rng, areaCode: string): string {
  return `(${areaCode}) 555-01${String(rng.int(0, 99)).padStart(2, '0')}`;
}

const POSTAL_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
export function postalCode(rng: Rng, profile: SiteProfile): string {
  return `${rng.pick(profile.postalPrefixes)} ${rng.int(0, 9)}${rng.pick([...POSTAL_LETTERS])}${rng.int(0, 9)}`;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
