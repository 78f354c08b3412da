// Random principals asking for random ids, own or foreign or made up: never another site's data.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteRoles, networkRoles, partnerScopeClaims } from '../src/auth/principal.js';
import { healthInformationReaders } from '../src/auth/actions.js';
import type { TokenRequest } from '../src/auth/tokens.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer } from './support/tokens.js';

const tenants = [
  'belleville-quinte-west',
  'centretown',
  'country-roads',
  'gateway',
  'guelph',
  'norwest',
  'rexdale',
  'south-georgian-bay',
  'stonegate',
  'temiskaming',
  'west-elgin',
];
const partners = ['rom', 'tso', 'ago', 'ecohealth-ontario', '211-ontario', 'teamcare'];
const phiTypes = new Set(['Client', 'SocialPrescription', 'PrescriptionItem']);
const nodesQuery =
  'query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Client { chartNumber givenName } ... on SocialPrescription { notes } ... on StaffMember { displayName } ... on PartnerReferral { status } } }';

const principalArb: fc.Arbitrary<TokenRequest> = fc.oneof(
  fc.record({ tenant: fc.constantFrom(...tenants), roles: fc.subarray([...siteRoles], { minLength: 1 }) }),
  fc.record({ network: fc.subarray([...networkRoles], { minLength: 1 }) }),
  fc.record({ partner: fc.constantFrom(...partners), scope: fc.subarray(Object.keys(partnerScopeClaims)).map((s) => s.join(' ')) }),
);

describe('isolation under random principals and ids', () => {
  let server: TestServer;
  const owners = new Map<string, { type: string; tenantId: string | null; partnerId?: string | null }>();
  let pool: { type: string; id: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const owner = server.db.prisma;
    for (const c of await owner.client.findMany({ select: { id: true, tenantId: true } })) owners.set(c.id, { type: 'Client', tenantId: c.tenantId });
    for (const p of await owner.socialPrescription.findMany({ select: { id: true, tenantId: true, referringPartnerId: true } })) {
      owners.set(p.id, { type: 'SocialPrescription', tenantId: p.tenantId, partnerId: p.referringPartnerId });
    }
    for (const s of await owner.staffMember.findMany({ select: { id: true, tenantId: true } })) owners.set(s.id, { type: 'StaffMember', tenantId: s.tenantId });
    for (const p of await owner.program.findMany({ select: { id: true, tenantId: true } })) owners.set(p.id, { type: 'Program', tenantId: p.tenantId });
    for (const i of await owner.prescriptionItem.findMany({ select: { id: true, tenantId: true } }))
      owners.set(i.id, { type: 'PrescriptionItem', tenantId: i.tenantId });
    pool = [...owners.entries()].map(([id, o]) => ({ type: o.type, id }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const decode = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':');

  /** Someone who may read the row behind a global id; null when nobody may (made-up ids, a referral no partner made). */
  const readerOf = (globalId: string): TokenRequest | null => {
    const [type, rowId] = decode(globalId);
    const row = owners.get(rowId!);
    if (!row) return null;
    if (type === 'PartnerReferral') return row.type === 'SocialPrescription' && row.partnerId ? { partner: row.partnerId, scope: 'referrals:read' } : null;
    return row.tenantId ? { tenant: row.tenantId, roles: ['LINK_WORKER'] } : { network: ['ALLIANCE_ANALYST'] };
  };

  it('node lookups never return another site’s row, nor any client row to the Alliance', async () => {
    const idArb = fc.oneof(
      fc.constantFrom(...pool).map(({ type, id }) => encodeGlobalID(type, id)),
      fc.constantFrom(...pool).map(({ id }) => encodeGlobalID('PartnerReferral', id)),
      fc.tuple(fc.constantFrom('Client', 'SocialPrescription', 'StaffMember', 'Program'), fc.uuid()).map(([t, id]) => encodeGlobalID(t, id)),
    );
    const lookUp = async (ids: string[], principal: TokenRequest) => {
      const result = await graphql(server, nodesQuery, { ids }, await bearer(principal));
      // A broken query (an error other than a refused field) or a missing list would otherwise read as "nothing returned".
      expect(codes(result).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(result.data?.nodes).toHaveLength(ids.length);
      return result.data!.nodes as (({ id: string; __typename: string } & Record<string, unknown>) | null)[];
    };
    await fc.assert(
      fc.asyncProperty(principalArb, fc.array(idArb, { minLength: 1, maxLength: 8 }), async (principal, ids) => {
        for (const node of await lookUp(ids, principal)) {
          if (!node) continue;
          const [, rowId] = decode(node.id);
          const row = owners.get(rowId!);
          expect(row, `${node.__typename} ${rowId}`).toBeDefined();
          if ('tenant' in principal) {
            if (!(row!.type === 'Program' && row!.tenantId === null)) expect(row!.tenantId).toBe(principal.tenant);
          } else if ('network' in principal) {
            expect(phiTypes.has(row!.type) || node.__typename === 'PartnerReferral').toBe(false);
            expect(node.__typename === 'StaffMember').toBe(false);
          } else {
            if (row!.type === 'SocialPrescription') expect(row!.partnerId).toBe(principal.partner);
            expect(['Client', 'StaffMember', 'PrescriptionItem']).not.toContain(node.__typename);
            expect(node.givenName ?? node.notes ?? node.chartNumber ?? null).toBeNull();
          }
        }
        // Positive control: the same lookup by someone allowed to read a row returns it.
        const readers = new Map<string, TokenRequest>();
        for (const id of ids) {
          const reader = readerOf(id);
          if (reader) readers.set(JSON.stringify(reader), reader);
        }
        for (const reader of readers.values()) {
          const nodes = await lookUp(ids, reader);
          ids.forEach((id, i) => {
            if (JSON.stringify(readerOf(id)) === JSON.stringify(reader)) expect(nodes[i]?.id, `${decode(id).join(' ')} for ${JSON.stringify(reader)}`).toBe(id);
          });
        }
      }),
      { numRuns: 80 },
    );
  });

  it('lists never carry another site’s clients or prescriptions', async () => {
    const list = async (principal: TokenRequest) => {
      const result = await graphql(
        server,
        '{ clients(first: 50) { edges { node { id } } } socialPrescriptions(first: 50) { edges { node { id client { id } } } } }',
        {},
        await bearer(principal),
      );
      const ids = [
        ...(result.data?.clients?.edges ?? []).map((e: any) => e.node.id),
        ...(result.data?.socialPrescriptions?.edges ?? []).flatMap((e: any) => [e.node.id, e.node.client?.id].filter(Boolean)),
      ].map((id: string) => decode(id)[1]!);
      return { ids, codes: codes(result) };
    };
    await fc.assert(
      fc.asyncProperty(principalArb, fc.constantFrom(...tenants), async (principal, otherTenant) => {
        const { ids, codes } = await list(principal);
        const tenant = 'tenant' in principal ? principal.tenant : otherTenant;
        if ('tenant' in principal && healthInformationReaders.some((role) => principal.roles.includes(role))) {
          expect(codes).toEqual([]);
        } else {
          // Refused outright, not answered with a list that merely came back empty; someone allowed gets rows.
          expect(codes.length).toBeGreaterThan(0);
          expect(codes.filter((code) => code !== 'FORBIDDEN')).toEqual([]);
          expect(ids).toEqual([]);
          const allowed = await list({ tenant, roles: ['LINK_WORKER'] });
          expect(allowed.codes).toEqual([]);
          ids.push(...allowed.ids);
        }
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(owners.get(id)?.tenantId).toBe(tenant);
      }),
      { numRuns: 40 },
    );
  });
});
