// The network's directory as Open Referral HSDS 3.1 records: network programs and the assets sites
// share with the network as services, the network's partners (and each shared asset) as
// organizations, with their locations. What is absent is left out, never published as null.
import type { CommunityAsset, PartnerOrganization, Program, Tenant } from '../generated/prisma/client.js';
import type { CostLevel, Need } from '../generated/prisma/enums.js';
import { assetLocationDetails, fees, hsdsId, NEEDS_TAXONOMY_ID, needTermId } from '../directory/hsds-export.js';

export type Json = { [key: string]: unknown };

/** Drops absent optional fields: null, undefined and empty lists. */
export function compact<T extends Json>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  ) as T;
}

const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');

export const ALLIANCE_ORGANIZATION_ID = hsdsId('alliance');
const PLACES_UNIT = { id: hsdsId('unit', 'places'), name: 'places' };

type AssetWithSite = CommunityAsset & { tenant: Tenant };
type NetworkProgram = Program & { partner: PartnerOrganization | null };

/** One service, with what hangs off it, and the organization and location it belongs to. */
export type ServiceEntry = { service: Json; organizationId: string; location: Json | null };

function alliance(): Json {
  return {
    id: ALLIANCE_ORGANIZATION_ID,
    name: 'Alliance for Healthier Communities',
    description: 'The network of Ontario’s Community Health Centres; runs the Rx: Community social prescribing network and its network-wide programs.',
  };
}

export const partnerOrganization = (partner: PartnerOrganization): Json =>
  compact({ id: hsdsId('partner', partner.id), name: partner.name, description: partner.description ?? partner.name, website: partner.website });

const languages = (codes: readonly string[], owner: { service_id?: string; location_id?: string }, ownerId: string) =>
  codes.map((code) => ({ id: hsdsId('language', ownerId, code), ...owner, code }));

function attributes(serviceId: string, needs: readonly Need[]) {
  return needs.map((need) => ({
    id: hsdsId('attribute', serviceId, need),
    link_id: serviceId,
    link_type: 'need',
    link_entity: 'service',
    label: words(need),
    taxonomy_term_id: needTermId(need),
    taxonomy_term: {
      id: needTermId(need),
      code: need,
      name: words(need),
      description: `Addresses the need: ${words(need).toLowerCase()}.`,
      taxonomy_id: NEEDS_TAXONOMY_ID,
      language: 'en',
    },
  }));
}

function costOptions(serviceId: string, cost: CostLevel, note?: string | null) {
  return [
    compact({
      id: hsdsId('cost-option', serviceId),
      service_id: serviceId,
      option: words(cost),
      ...(cost === 'FREE' ? { amount: 0, currency: 'CAD' } : {}),
      amount_description: [fees[cost], note].filter(Boolean).join(' '),
    }),
  ];
}

/** A network program: run by a partner, or by the Alliance for the whole network. */
export function programEntry(program: NetworkProgram): ServiceEntry {
  const organizationId = program.partnerId ? hsdsId('partner', program.partnerId) : ALLIANCE_ORGANIZATION_ID;
  const location = program.location
    ? { id: hsdsId('location', 'network', program.location), location_type: 'physical', organization_id: organizationId, name: program.location }
    : null;
  const service = compact({
    id: program.id,
    organization_id: organizationId,
    name: program.name,
    description: [program.description, program.runBy === 'HEALTH_CHAMPION' ? 'Led by a volunteer Health Champion.' : null].filter(Boolean).join(' ') || null,
    status: 'active',
    fees_description: fees[program.cost],
    last_modified: program.updatedAt.toISOString(),
    languages: languages(program.languages, { service_id: program.id }, program.id),
    schedules: program.schedule ? [{ id: hsdsId('schedule', program.id), service_id: program.id, description: program.schedule }] : [],
    service_areas: [
      { id: hsdsId('service-area', program.id), service_id: program.id, name: 'Ontario', description: 'Network-wide: every Rx: Community site.' },
    ],
    cost_options: costOptions(program.id, program.cost),
    capacities:
      program.capacity === null
        ? []
        : [
            {
              id: hsdsId('capacity', program.id),
              service_id: program.id,
              unit: PLACES_UNIT,
              available: program.capacity,
              maximum: program.capacity,
              description: 'Places the program offers; the directory does not count who is enrolled.',
              updated: program.updatedAt.toISOString(),
            },
          ],
    attributes: attributes(program.id, program.needs),
  });
  return { service, organizationId, location };
}

/** A shared asset: an organization of its own offering one service at one location, in its site's area and languages. */
export function assetEntry(asset: AssetWithSite): ServiceEntry & { organization: Json } {
  const organizationId = hsdsId('asset-organization', asset.id);
  const serviceId = hsdsId('asset-service', asset.id);
  const site = asset.tenant;
  // An asset that names no language is listed in its site's languages (Témiskaming's are French first).
  const spoken = asset.languages.length ? asset.languages : site.languages;
  const organization = compact({
    id: organizationId,
    name: asset.name,
    description: asset.description ?? asset.name,
    email: asset.email,
    website: asset.website,
  });
  const service = compact({
    id: serviceId,
    organization_id: organizationId,
    name: asset.name,
    description: asset.description,
    url: asset.website,
    email: asset.email,
    status: 'active',
    fees_description: [fees[asset.cost], asset.costNote].filter(Boolean).join(' '),
    last_modified: asset.updatedAt.toISOString(),
    languages: languages(spoken, { service_id: serviceId }, serviceId),
    service_areas: [
      compact({
        id: hsdsId('service-area', serviceId),
        service_id: serviceId,
        name: site.servesArea ?? site.city,
        description: `Shared by ${site.name} (${site.city}) with the Rx: Community network.`,
      }),
    ],
    cost_options: costOptions(serviceId, asset.cost, asset.costNote),
    attributes: attributes(serviceId, asset.categories),
  });
  const location = compact({
    id: asset.id,
    location_type: 'physical',
    organization_id: organizationId,
    name: asset.name,
    latitude: asset.latitude,
    longitude: asset.longitude,
    languages: languages(spoken, { location_id: asset.id }, asset.id),
    ...assetLocationDetails(asset),
  });
  return { service, organizationId, location, organization };
}

/** The whole directory, in a stable order (by name, then id). */
export function directoryOf(programs: NetworkProgram[], assets: AssetWithSite[], partners: PartnerOrganization[]) {
  const byName = (a: Json, b: Json) => String(a.name).localeCompare(String(b.name)) || String(a.id).localeCompare(String(b.id));
  const assetEntries = assets.map(assetEntry);
  const services = [...programs.map(programEntry), ...assetEntries].sort((a, b) => byName(a.service, b.service));
  const organizations = [alliance(), ...partners.map(partnerOrganization), ...assetEntries.map((a) => a.organization)].sort(byName);
  const locations = new Map<string, Json>();
  for (const { location } of services) if (location) locations.set(location.id as string, location);
  const serviceAtLocations = services.flatMap(({ service, location }) =>
    location ? [{ id: hsdsId('service-at-location', service.id as string, location.id as string), service_id: service.id, location_id: location.id }] : [],
  );
  return { services, organizations, locations: [...locations.values()].sort(byName), serviceAtLocations };
}
