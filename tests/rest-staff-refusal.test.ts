// A deactivated staff member on the REST surfaces: the FHIR facade signs staff in before telling
// them it serves partners, so a deactivated account answers 401 UNAUTHENTICATED there as over
// GraphQL; the public HSDS directory reads no token at all, so it answers as to anyone.
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer, staff } from './support/tokens.js';

const me = gql('{ viewer { staffMember { id } } }');
const deactivate = gql('mutation($id: ID!) { deactivateStaffMember(id: $id) { id active } }');

describe('a deactivated staff member on the REST routes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('FHIR answers 401 UNAUTHENTICATED (an active member: 403), the public HSDS directory as to anyone', async () => {
    const subject = `guelph.idp.${randomUUID()}`;
    const worker = await bearer({ tenant: 'guelph', roles: ['LINK_WORKER'], subject });
    expect((await graphql(server, me, {}, worker)).status).toBe(200);
    const fhir = () => fetch(`${server.url}/fhir/r4/ServiceRequest`, { headers: worker });

    // Positive control: while active, the facade tells staff it is not theirs.
    const active = await fhir();
    expect(active.status).toBe(403);
    expect(((await active.json()) as { issue: { code: string }[] }).issue[0]!.code).toBe('forbidden');

    const record = await server.db.prisma.staffMember.findFirstOrThrow({ where: { subject } });
    const off = await graphql(server, deactivate, { id: encodeGlobalID('StaffMember', record.id) }, await staff('guelph', 'SITE_ADMIN'));
    expect(off.data?.deactivateStaffMember.active).toBe(false);
    const overGraphql = await graphql(server, me, {}, worker);
    expect(overGraphql.status).toBe(401);
    expect(codes(overGraphql)).toEqual(['UNAUTHENTICATED']);

    const refused = await fhir();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    const outcome = (await refused.json()) as { resourceType: string; issue: { code: string; details: { coding: { code: string }[] } }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]!.code).toBe('login');
    expect(outcome.issue[0]!.details.coding[0]!.code).toBe('UNAUTHENTICATED');
    for (const path of ['/Task', '/Patient/anything', '/ServiceRequest/anything']) {
      expect((await fetch(`${server.url}/fhir/r4${path}`, { headers: worker })).status, path).toBe(401);
    }

    // HSDS is public and reads no Authorization header: the same page as without a token.
    const anonymous = await fetch(`${server.url}/hsds/services?per_page=5`);
    const withToken = await fetch(`${server.url}/hsds/services?per_page=5`, { headers: worker });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toEqual(await anonymous.json());
  });
});
