// The directory for the world: Open Referral HSDS 3.1 as REST under /hsds, public (no token), as 211
// directories are. It lists only what the network already shares: network programs, the network's
// partner organizations and the assets sites share with the network — never a site-only asset, a
// site's own program, a Health Champion's name or anything about a client. Each request still runs
// through the request machinery: a fixed cost charged to the caller's address, one transaction as
// the restricted role with an anonymous network reader's settings (no roles), so row-level security
// bounds it to network rows whatever the code asks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { NetworkPrincipal } from '../auth/principal.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import { applyHttp, runRestRequest, type RestDeps } from '../server/rest-requests.js';
import { directoryOf, type Json } from './records.js';

export const HSDS_PREFIX = '/hsds';
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

/** Who reads the public directory: nobody in particular, charged by address. */
const publicReader = (request: FastifyRequest): NetworkPrincipal => ({ kind: 'NETWORK', subject: `public-directory:${request.ip}`, roles: [] });

async function readDirectory(ctx: GraphQLContext) {
  const [programs, assets, partners] = await Promise.all([
    ctx.db.program.findMany({ where: { tenantId: null, active: true }, include: { partner: true } }),
    ctx.db.communityAsset.findMany({ where: { visibility: 'NETWORK', retiredAt: null }, include: { tenant: true } }),
    ctx.db.partnerOrganization.findMany({ where: { addedByTenantId: null } }),
  ]);
  return directoryOf(programs, assets, partners);
}

type Directory = Awaited<ReturnType<typeof readDirectory>>;

/** The one-to-one fields of a record: what the HSDS API's lists carry unless `full=true`. */
const flat = (record: Json) => Object.fromEntries(Object.entries(record).filter(([, value]) => !Array.isArray(value)));

function pageOf(query: Record<string, unknown>, records: Json[], full: (record: Json) => Json) {
  const number = (name: string, fallback: number, max: number) => {
    const raw = query[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) throw badUserInput([{ field: name, message: `must be a whole number from 1 to ${max}` }]);
    return value;
  };
  const perPage = number('per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = number('page', 1, 1_000_000);
  const fullRecords = query.full === 'true';
  const contents = records.slice((page - 1) * perPage, page * perPage).map((record) => (fullRecords ? full(record) : flat(record)));
  const totalPages = Math.max(1, Math.ceil(records.length / perPage));
  return {
    total_items: records.length,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

function serviceInFull(directory: Directory, service: Json): Json {
  const entry = directory.services.find((s) => s.service.id === service.id)!;
  const organization = directory.organizations.find((o) => o.id === entry.organizationId);
  const atLocations = directory.serviceAtLocations
    .filter((sal) => sal.service_id === service.id)
    .map((sal) => ({ ...sal, location: directory.locations.find((l) => l.id === sal.location_id) }));
  return { ...service, ...(organization ? { organization: flat(organization) } : {}), ...(atLocations.length ? { service_at_locations: atLocations } : {}) };
}

function organizationInFull(directory: Directory, organization: Json): Json {
  const locations = directory.locations.filter((l) => l.organization_id === organization.id);
  return { ...organization, ...(locations.length ? { locations } : {}) };
}

function serviceAtLocationInFull(directory: Directory, record: Json): Json {
  const location = directory.locations.find((l) => l.id === record.location_id);
  return { ...record, ...(location ? { location } : {}) };
}

export async function registerHsds(app: FastifyInstance, deps: RestDeps) {
  await app.register(
    async (hsds) => {
      const fail = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
        if (error instanceof GraphQLError && typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR') {
          applyHttp(reply, error);
          const { http: _http, ...extensions } = error.extensions;
          return reply.send({ errors: [{ message: error.message, extensions }] });
        }
        request.log.error({ err: error }, 'unexpected error');
        return reply.code(500).send({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: request.id } }] });
      };

      const handle =
        (operation: string, answer: (directory: Directory, request: FastifyRequest) => Json) => async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            const directory = await runRestRequest(deps, request, { principal: publicReader(request), operation: `HSDS ${operation}` }, readDirectory);
            return reply.send(answer(directory, request));
          } catch (error) {
            return fail(request, reply, error);
          }
        };

      const one = (records: Json[], kind: string, id: string, full: (record: Json) => Json) => {
        const record = records.find((r) => r.id === id);
        if (!record) throw notFound(kind);
        return full(record);
      };
      const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
      const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

      hsds.get('/', async () => ({
        version: '3.1',
        profile: 'https://docs.openreferral.org/en/latest/hsds/',
        openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json',
      }));

      const serviceRecords = (d: Directory) => d.services.map((s) => s.service);
      hsds.get(
        '/services',
        handle('services', (d, r) => pageOf(query(r), serviceRecords(d), (s) => serviceInFull(d, s))),
      );
      hsds.get(
        '/services/:id',
        handle('service', (d, r) => one(serviceRecords(d), 'Service', idOf(r), (s) => serviceInFull(d, s))),
      );
      hsds.get(
        '/organizations',
        handle('organizations', (d, r) => pageOf(query(r), d.organizations, (o) => organizationInFull(d, o))),
      );
      hsds.get(
        '/organizations/:id',
        handle('organization', (d, r) => one(d.organizations, 'Organization', idOf(r), (o) => organizationInFull(d, o))),
      );
      hsds.get(
        '/locations',
        handle('locations', (d, r) => pageOf(query(r), d.locations, (l) => l)),
      );
      hsds.get(
        '/locations/:id',
        handle('location', (d, r) => one(d.locations, 'Location', idOf(r), (l) => l)),
      );
      hsds.get(
        '/service_at_locations',
        handle('service_at_locations', (d, r) => pageOf(query(r), d.serviceAtLocations, (sal) => serviceAtLocationInFull(d, sal))),
      );
      hsds.get(
        '/service_at_locations/:id',
        handle('service_at_location', (d, r) => one(d.serviceAtLocations, 'Service at location', idOf(r), (sal) => serviceAtLocationInFull(d, sal))),
      );
    },
    { prefix: HSDS_PREFIX },
  );
}
