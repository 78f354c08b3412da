// A site's directory in the shape of Open Referral HSDS 3.1, the standard 211 data follows: the
// site and its partners as organizations, its running programs and the assets it shares with the
// network as services, with their locations, and the needs they address as a taxonomy. Only what
// a site already publishes leaves: no Health Champion names, no site-only assets, no client data.
import { createHash } from 'node:crypto';
import type { CostLevel, Need } from '../generated/prisma/enums.js';
import type { CommunityAsset, PartnerOrganization, Program, Tenant } from '../generated/prisma/client.js';
import { builder } from '../graphql/builder.js';
import { principalFor } from '../auth/rules.js';
import { frenchLabels } from '../shared/labels-fr.js';
import { LocaleEnum, siteLocale, type Locale } from '../shared/locale.js';

type Json = Record<string, unknown>;

/** HSDS ids are UUIDs: a name-based (version 5 layout) one for rows whose own id is a slug or a pair. */
/** An asset's address, accessibility notes and phone as the HSDS location's records (the export and the REST API alike). */
export const assetLocationDetails = (asset: Pick<CommunityAsset, 'id' | 'address' | 'city' | 'postalCode' | 'accessibility' | 'phone'>) => ({
  addresses:
    asset.address && asset.city && asset.postalCode
      ? [
          {
            id: hsdsId('address', asset.id),
            location_id: asset.id,
            address_1: asset.address,
            city: asset.city,
            state_province: 'ON',
            postal_code: asset.postalCode,
            country: 'CA',
            address_type: 'physical',
          },
        ]
      : [],
  accessibility: asset.accessibility.map((description, i) => ({ id: hsdsId('accessibility', asset.id, String(i)), location_id: asset.id, description })),
  phones: asset.phone ? [{ id: hsdsId('phone', asset.id), location_id: asset.id, number: asset.phone, type: 'voice' }] : [],
});

export function hsdsId(...parts: string[]): string {
  const hex = createHash('sha1')
    .update(`rx-community-hsds:${parts.join(':')}`)
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export const NEEDS_TAXONOMY_ID = hsdsId('taxonomy', 'needs');
export const needTermId = (need: Need) => hsdsId('need', need);
const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');

export const fees: Record<CostLevel, string> = {
  FREE: 'Free.',
  LOW_COST: 'Low cost.',
  SLIDING_SCALE: 'Sliding scale by income.',
  PAID: 'Fees apply.',
};

const feesFr: Record<CostLevel, string> = {
  FREE: 'Gratuit.',
  LOW_COST: 'Coût modique.',
  SLIDING_SCALE: 'Tarif selon le revenu.',
  PAID: 'Des frais s’appliquent.',
};

/** The export's own words, in the site's language (its first one; shared/locale.ts). */
const texts = {
  en: {
    fees,
    programName: (site: Tenant) => `Rx: Community at ${site.name}`,
    programDescription: 'Social prescribing: programs and community supports a link worker can connect clients to.',
    siteDescription: (site: Tenant) =>
      `Community Health Centre in ${site.city}${site.servesArea ? `, serving ${site.servesArea}` : ''}; a social prescribing site of the Alliance for Healthier Communities.`,
    ledByChampion: 'Led by a volunteer Health Champion.',
    taxonomyName: 'Rx: Community needs',
    taxonomyDescription: 'The non-medical needs a social prescription addresses, as the Rx: Community pilot names them.',
    needName: (need: Need) => words(need),
    needDescription: (need: Need) => `Addresses the need: ${words(need).toLowerCase()}.`,
  },
  fr: {
    fees: feesFr,
    programName: (site: Tenant) => `Rx : Communauté au ${site.name}`,
    programDescription: 'Prescription sociale : programmes et soutiens communautaires auxquels un agent de liaison peut relier la clientèle.',
    siteDescription: (site: Tenant) =>
      `Centre de santé communautaire à ${site.city}${site.servesArea ? `, au service de : ${site.servesArea}` : ''}; un site de prescription sociale de l’Alliance pour des communautés en santé.`,
    ledByChampion: 'Animé par un champion de la santé bénévole.',
    taxonomyName: 'Besoins Rx : Communauté',
    taxonomyDescription: 'Les besoins non médicaux auxquels répond une prescription sociale, tels que les nomme le projet pilote Rx : Communauté.',
    needName: (need: Need) => frenchLabels.Need![need]!,
    needDescription: (need: Need) => `Répond au besoin : ${frenchLabels.Need![need]!.toLowerCase()}.`,
  },
} satisfies Record<Locale, unknown>;
type Texts = (typeof texts)[Locale];

const languagesOf = (codes: string[], owner: { service_id?: string; location_id?: string }, ownerId: string) =>
  codes.map((code) => ({ id: hsdsId('language', ownerId, code), ...owner, code }));

const needAttributes = (serviceId: string, needs: Need[]) =>
  needs.map((need) => ({
    id: hsdsId('attribute', serviceId, need),
    link_id: serviceId,
    link_type: 'need',
    link_entity: 'service',
    taxonomy_term_id: needTermId(need),
  }));

/** The site as an organization, and its social prescribing as the HSDS program its own services belong to. */
function siteEntries(site: Tenant, programId: string, text: Texts) {
  const organizationId = hsdsId('site', site.id);
  const program: Json = {
    id: programId,
    organization_id: organizationId,
    name: text.programName(site),
    description: text.programDescription,
  };
  const organization: Json = {
    id: organizationId,
    name: site.name,
    description: text.siteDescription(site),
    year_incorporated: site.founded,
    programs: [program],
  };
  return { organization, program };
}

function partnerOrganization(partner: PartnerOrganization): Json {
  return { id: hsdsId('partner', partner.id), name: partner.name, description: partner.description ?? partner.name, website: partner.website };
}

/** A program as a service; its free-text location, when it has one, as a location shared by the programs that name it. */
function programService(site: Tenant, hsdsProgramId: string, program: Program, text: Texts) {
  const organizationId = program.partnerId ? hsdsId('partner', program.partnerId) : hsdsId('site', site.id);
  const location = program.location
    ? { id: hsdsId('location', site.id, program.location), location_type: 'physical', organization_id: organizationId, name: program.location }
    : null;
  const service: Json = {
    id: program.id,
    organization_id: organizationId,
    program_id: program.partnerId ? null : hsdsProgramId,
    name: program.name,
    description: [program.description, program.runBy === 'HEALTH_CHAMPION' ? text.ledByChampion : null].filter(Boolean).join(' ') || null,
    status: 'active',
    fees_description: text.fees[program.cost],
    languages: languagesOf(program.languages, { service_id: program.id }, program.id),
    schedules: program.schedule ? [{ id: hsdsId('schedule', program.id), service_id: program.id, description: program.schedule }] : [],
    attributes: needAttributes(program.id, program.needs),
    last_modified: program.updatedAt.toISOString(),
  };
  return { service, location };
}

/** A shared asset as an organization of its own offering one service at one location. */
function assetEntries(asset: CommunityAsset, text: Texts) {
  const organizationId = hsdsId('asset-organization', asset.id);
  const serviceId = hsdsId('asset-service', asset.id);
  const organization: Json = { id: organizationId, name: asset.name, description: asset.description ?? asset.name, email: asset.email, website: asset.website };
  const service: Json = {
    id: serviceId,
    organization_id: organizationId,
    name: asset.name,
    description: asset.description,
    url: asset.website,
    email: asset.email,
    status: 'active',
    fees_description: [text.fees[asset.cost], asset.costNote].filter(Boolean).join(' '),
    languages: languagesOf(asset.languages, { service_id: serviceId }, serviceId),
    attributes: needAttributes(serviceId, asset.categories),
    last_modified: asset.updatedAt.toISOString(),
  };
  const location: Json = {
    id: asset.id,
    location_type: 'physical',
    organization_id: organizationId,
    name: asset.name,
    latitude: asset.latitude,
    longitude: asset.longitude,
    languages: languagesOf(asset.languages, { location_id: asset.id }, asset.id),
    ...assetLocationDetails(asset),
  };
  return { organization, service, location };
}

builder.queryField('directoryExport', (t) =>
  t.field({
    authz: 'exportDirectory',
    type: 'JSON',
    description:
      'Your site’s directory as Open Referral HSDS 3.1 JSON: organizations (your site, its partners, its shared assets), programs, services, locations, services at locations and the needs taxonomy. Only running programs and assets shared with the network. In your site’s language (its first one: French for a francophone site), or `locale`.',
    args: {
      locale: t.arg({ type: LocaleEnum, required: false, description: 'The language of the export’s own words; by default your site’s first language.' }),
    },
    resolve: async (_root, args, ctx) => {
      const { tenantId } = principalFor(ctx, 'exportDirectory');
      const db = ctx.db;
      const [site, programs, assets, partnerships] = await Promise.all([
        db.tenant.findUniqueOrThrow({ where: { id: tenantId } }),
        db.program.findMany({ where: { tenantId, active: true }, include: { partner: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        db.communityAsset.findMany({ where: { tenantId, visibility: 'NETWORK', retiredAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        db.partnership.findMany({ where: { tenantId, active: true }, include: { partner: true }, orderBy: { partnerId: 'asc' } }),
      ]);
      const locale: Locale = args.locale ? (args.locale === 'FR' ? 'fr' : 'en') : siteLocale(site.languages);
      const text = texts[locale];
      const hsdsProgramId = hsdsId('program', site.id);
      const partners = new Map<string, PartnerOrganization>();
      for (const partner of [...partnerships.map((p) => p.partner), ...programs.flatMap((p) => (p.partner ? [p.partner] : []))])
        partners.set(partner.id, partner);
      const programEntries = programs.map((program) => programService(site, hsdsProgramId, program, text));
      const sharedAssets = assets.map((asset) => assetEntries(asset, text));
      const locations = new Map<string, Json>();
      for (const { location } of [...programEntries, ...sharedAssets]) if (location) locations.set(location.id as string, location);
      const services = [...programEntries, ...sharedAssets];
      const usedNeeds = [...new Set([...programs.flatMap((p) => p.needs), ...assets.flatMap((a) => a.categories)])].sort();
      const own = siteEntries(site, hsdsProgramId, text);
      return {
        hsds_version: '3.1',
        generated_at: new Date().toISOString(),
        organization: [own.organization, ...[...partners.values()].map(partnerOrganization), ...sharedAssets.map((a) => a.organization)],
        program: [own.program],
        service: services.map((s) => s.service),
        location: [...locations.values()],
        service_at_location: services.flatMap(({ service, location }) =>
          location
            ? [{ id: hsdsId('service-at-location', service.id as string, location.id as string), service_id: service.id, location_id: location.id }]
            : [],
        ),
        taxonomy: [
          {
            id: NEEDS_TAXONOMY_ID,
            name: text.taxonomyName,
            description: text.taxonomyDescription,
            version: '1',
          },
        ],
        taxonomy_term: usedNeeds.map((need) => ({
          id: needTermId(need),
          code: need,
          name: text.needName(need),
          description: text.needDescription(need),
          taxonomy_id: NEEDS_TAXONOMY_ID,
          language: locale,
        })),
      };
    },
  }),
);
