// Random principals asking for random ids, own or foreign or made up: never another site's data.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteRoles, networkRoles, partnerScopeClaims } from '../src/auth/principal.js';
import type { TokenRequest } from '../src/auth/tokens.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer } from './support/tokens.js';

const tenants = ['belleville-quinte-west', 'centretown', 'country-roads', 'gateway', 'guelph', 'norwest', 'rexdale', 'south-georgian-bay', 'stonegate', 'temiskaming', 'west-elgin'];
const partners = ['rom', 'tso', 'ago', 'ecohealth-ontario', '211-ontario', 'teamcare'];
const phiTypes = new Set(['Client', 'SocialPrescription', 'PrescriptionItem']);

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
    for (const i of await owner.prescriptionItem.findMany({ select: { id: true, tenantId: true } })) owners.set(i.id, { type: 'PrescriptionItem', tenantId: i.tenantId });
    pool = [...owners.entries()].map(([id, o]) => ({ type: o.type, id }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const decode = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':');

  it('node lookups never return another site’s row, nor any client row to the Alliance', async () => {
    const idArb = fc.oneof(
      fc.constantFrom(...pool).map(({ type, id }) => encodeGlobalID(type, id)),
      fc.constantFrom(...pool).map(({ id }) => encodeGlobalID('PartnerReferral', id)),
      fc.tuple(fc.constantFrom('Client', 'SocialPrescription', 'StaffMember', 'Program'), fc.uuid()).map(([t, id]) => encodeGlobalID(t, id)),
    );
    await fc.assert(
      fc.asyncProperty(principalArb, fc.array(idArb, { minLength: 1, maxLength: 8 }), async (principal, ids) => {
        const result = await graphql(
          server,
          'query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Client { chartNumber givenName } ... on SocialPrescription { notes } ... on StaffMember { displayName } ... on PartnerReferral { status } } }',
          { ids },
          await bearer(principal),
        );
        for (const node of (result.data?.nodes ?? []) as ({ id: string; __typename: string } & Record<string, unknown>)[]) {
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
      }),
      { numRuns: 80 },
    );
  });

  it('lists never carry another site’s clients or prescriptions', async () => {
    await fc.assert(
      fc.asyncProperty(principalArb, async (principal) => {
        const result = await graphql(server, '{ clients(first: 50) { edges { node { id } } } socialPrescriptions(first: 50) { edges { node { id client { id } } } } }', {}, await bearer(principal));
        const ids = [
          ...(result.data?.clients?.edges ?? []).map((e: any) => e.node.id),
          ...(result.data?.socialPrescriptions?.edges ?? []).flatMap((e: any) => [e.node.id, e.node.client?.id].filter(Boolean)),
        ].map((id: string) => decode(id)[1]!);
        if (!('tenant' in principal)) expect(ids).toEqual([]);
        for (const id of ids) expect(owners.get(id)?.tenantId).toBe((principal as { tenant: string }).tenant);
      }),
      { numRuns: 40 },
    );
  });
});
