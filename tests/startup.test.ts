// Start-up refuses what would be unsafe to serve: no token key in production, a request role that
// can bypass row-level security. And readiness reports a database whose migrations are pending.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveKeySource, createTokenVerifier } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { assertRequestRoleIsRestricted } from '../src/db/role-check.js';
import { buildApp } from '../src/server/app.js';
import { emptyTestDatabase, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';

describe('start-up', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('refuses to start in production without a token key', async () => {
    const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' });
    await expect(resolveKeySource(config)).rejects.toThrow(/No token key configured/);
  });

  it('verifies RS256 tokens against a configured public key, and refuses HS256 ones then', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const server = await startTestServer({ JWT_SECRET: '', JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') });
    servers.push(server);
    const rs256 = await new SignJWT({ tenant: 'guelph', roles: ['LINK_WORKER'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('guelph.link_worker.1')
      .setIssuer('https://id.rx-community.test')
      .setAudience('rx-community-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    const ok = await graphql(server, gql('{ viewer { kind tenant } }'), {}, { authorization: `Bearer ${rs256}` });
    expect(ok.data).toEqual({ viewer: { kind: 'STAFF', tenant: 'guelph' } });
    const hs256 = await new SignJWT({ tenant: 'guelph', roles: ['LINK_WORKER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('https://id.rx-community.test')
      .setAudience('rx-community-api')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    const refused = await graphql(server, gql('{ viewer { kind } }'), {}, { authorization: `Bearer ${hs256}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('verifies ES256 tokens against the identity provider’s JWKS', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] };
    const idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/.well-known/jwks.json`;
      const server = await startTestServer({ JWT_SECRET: '', JWT_JWKS_URL: url });
      servers.push(server);
      const sign = (kid: string) =>
        new SignJWT({ roles: ['ALLIANCE_ANALYST'] })
          .setProtectedHeader({ alg: 'ES256', kid })
          .setSubject('analyst@alliance')
          .setIssuer('https://id.rx-community.test')
          .setAudience('rx-community-api')
          .setExpirationTime('5m')
          .sign(privateKey);
      const ok = await graphql(server, gql('{ viewer { kind subject } }'), {}, { authorization: `Bearer ${await sign('idp-1')}` });
      expect(ok.data).toEqual({ viewer: { kind: 'NETWORK', subject: 'analyst@alliance' } });
      const unknownKey = await graphql(server, gql('{ viewer { kind } }'), {}, { authorization: `Bearer ${await sign('idp-2')}` });
      expect(unknownKey.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      idp.close();
    }
  });

  it('fails when the request role could bypass row-level security', async () => {
    // An embedded database of its own: roles are cluster-wide on a server shared with other tests.
    const testDb = await emptyTestDatabase({}, { embedded: true });
    const db = await openDatabase(testDb.config);
    try {
      await db.migrate();
      await expect(assertRequestRoleIsRestricted(db.prisma)).resolves.toBeUndefined();
      await db.prisma.$executeRawUnsafe('ALTER ROLE rx_app BYPASSRLS');
      await expect(assertRequestRoleIsRestricted(db.prisma)).rejects.toThrow(/Row-level security would not apply/);
    } finally {
      await db.close();
      await testDb.drop();
    }
  });

  it('answers /readyz with 503 while migrations are pending', async () => {
    const testDb = await emptyTestDatabase();
    const db = await openDatabase(testDb.config);
    const verifier = createTokenVerifier(
      { kind: 'secret', secret: new TextEncoder().encode('x'.repeat(32)) },
      { knownTenant: async () => true, knownPartner: async () => true },
    );
    const app = await buildApp({ config: testDb.config, db, logger: pino({ level: 'silent' }), verifier });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const pending = await fetch(`${url}/readyz`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toMatchObject({ status: 'migrations pending' });
      await db.migrate();
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
      await db.close();
      await testDb.drop();
    }
  });
});
