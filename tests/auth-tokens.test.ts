// Forged and malformed tokens, the way an attacker would try them: every one answers UNAUTHENTICATED.
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { testAudience, testIssuer, testSecret, token } from './support/tokens.js';

const secret = new TextEncoder().encode(testSecret);
const now = () => Math.floor(Date.now() / 1000);
const linkWorker = { tenant: 'guelph', roles: ['LINK_WORKER'] };

function signed(claims: Record<string, unknown>, options: { exp?: number; nbf?: number; iss?: string; aud?: string; key?: Uint8Array } = {}) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(options.exp ?? now() + 600);
  if (options.nbf) jwt = jwt.setNotBefore(options.nbf);
  jwt = jwt.setIssuer(options.iss ?? testIssuer).setAudience(options.aud ?? testAudience);
  return jwt.sign(options.key ?? secret);
}

describe('authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const viewer = '{ viewer { kind subject tenant roles partner scopes } }';
  const ask = (authorization?: string) => graphql(server, viewer, {}, authorization ? { authorization } : {});

  it('answers UNAUTHENTICATED on every field without a token', async () => {
    for (const query of [
      '{ viewer { kind } }',
      '{ tenants { name } }',
      '{ clients(first: 1) { edges { cursor } } }',
      '{ partnerOrganizations { edges { cursor } } }',
    ]) {
      const result = await graphql(server, query);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(result), query).not.toMatch(/guelph|norwest|stack/i);
    }
  });

  it('keeps the health endpoints public', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('tells each kind of caller who it is, without secrets', async () => {
    const staff = await ask(`Bearer ${await token({ tenant: 'guelph', roles: ['LINK_WORKER', 'PRESCRIBER'], subject: 'guelph.link_worker.1' })}`);
    expect(staff.data?.viewer).toEqual({
      kind: 'STAFF',
      subject: 'guelph.link_worker.1',
      tenant: 'guelph',
      roles: ['LINK_WORKER', 'PRESCRIBER'],
      partner: null,
      scopes: [],
    });
    const analyst = await ask(`Bearer ${await token({ network: ['ALLIANCE_ANALYST'] })}`);
    expect(analyst.data?.viewer).toMatchObject({ kind: 'NETWORK', tenant: null, roles: ['ALLIANCE_ANALYST'] });
    const teamcare = await ask(`Bearer ${await token({ partner: 'teamcare', scope: 'referrals:create referrals:read openid' })}`);
    expect(teamcare.data?.viewer).toMatchObject({ kind: 'PARTNER', partner: 'teamcare', roles: ['PARTNER'], scopes: ['referrals:create', 'referrals:read'] });
  });

  const forged: [string, () => Promise<string>][] = [
    ['alg none', async () => new UnsecuredJWT({ ...linkWorker, sub: 'x' }).setIssuer(testIssuer).setAudience(testAudience).setExpirationTime('10m').encode()],
    ['expired', () => signed({ ...linkWorker, sub: 'x' }, { exp: now() - 60 })],
    ['not yet valid', () => signed({ ...linkWorker, sub: 'x' }, { nbf: now() + 3600 })],
    ['wrong issuer', () => signed({ ...linkWorker, sub: 'x' }, { iss: 'https://evil.example' })],
    ['wrong audience', () => signed({ ...linkWorker, sub: 'x' }, { aud: 'another-api' })],
    ['bad signature', () => signed({ ...linkWorker, sub: 'x' }, { key: new TextEncoder().encode('another-secret-another-secret-another-secret') })],
    [
      'tampered payload',
      async () => {
        const [header, , signature] = (await token(linkWorker)).split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...linkWorker, tenant: 'norwest', sub: 'x', exp: now() + 600, iss: testIssuer, aud: testAudience }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'RS256 key confusion',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ ...linkWorker })
          .setProtectedHeader({ alg: 'RS256' })
          .setSubject('x')
          .setIssuer(testIssuer)
          .setAudience(testAudience)
          .setExpirationTime('10m')
          .sign(privateKey);
      },
    ],
    ['no subject', () => signed({ ...linkWorker })],
    [
      'no expiry',
      async () => new SignJWT({ ...linkWorker, sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(testIssuer).setAudience(testAudience).sign(secret),
    ],
    ['unknown tenant', () => signed({ tenant: 'springfield', roles: ['LINK_WORKER'], sub: 'x' })],
    ['unknown partner', () => signed({ partner: 'acme', roles: ['PARTNER'], scope: 'referrals:read', sub: 'x' })],
    ['unknown role', () => signed({ tenant: 'guelph', roles: ['SUPERUSER'], sub: 'x' })],
    ['network role on a site token', () => signed({ tenant: 'guelph', roles: ['ALLIANCE_ADMIN'], sub: 'x' })],
    ['site role without a site', () => signed({ roles: ['LINK_WORKER'], sub: 'x' })],
    ['no roles', () => signed({ tenant: 'guelph', sub: 'x' })],
    ['tenant and partner at once', () => signed({ tenant: 'norwest', partner: 'teamcare', roles: ['PARTNER'], scope: 'referrals:read', sub: 'x' })],
    ['partner claiming a staff role', () => signed({ partner: 'teamcare', roles: ['PARTNER', 'LINK_WORKER'], scope: 'referrals:read', sub: 'x' })],
    ['roles not a list', () => signed({ tenant: 'guelph', roles: 'LINK_WORKER', sub: 'x' })],
  ];

  it.each(forged)('rejects a token with %s', async (_case, make) => {
    const result = await ask(`Bearer ${await make()}`);
    expect(result.status).toBe(401);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(result.errors)).not.toMatch(/stack|at \w+ \(/);
  });

  it.each([
    ['a non-bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', async () => 'Bearer not-a-token'],
    ['an empty bearer', async () => 'Bearer '],
  ])('rejects an Authorization header with %s', async (_case, make) => {
    const result = await ask(await make());
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
