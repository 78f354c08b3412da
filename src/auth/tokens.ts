// Bearer token verification: HS256 with a shared secret, or RS256/ES256 with a public key or a JWKS.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from '../config.js';
import { networkRoles, partnerScopeClaims, siteRoles, type PartnerScopeClaim, type Principal } from './principal.js';

export class InvalidToken extends Error {}

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  tenant: z.string().min(1).optional(),
  partner: z.string().min(1).optional(),
  roles: z.array(z.string()).default([]),
  scope: z.string().default(''),
  // The identity provider's profile claims (OpenID Connect), for a staff record made just in time;
  // a malformed one is left out rather than refusing the token.
  name: z.string().optional().catch(undefined),
  given_name: z.string().optional().catch(undefined),
  family_name: z.string().optional().catch(undefined),
  email: z.string().optional().catch(undefined),
});

/** A claim as text fit to store: control characters out, spaces collapsed, at most `max` characters; undefined when nothing is left. */
const claimText = (value: string | undefined, max: number) =>
  value
    ?.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max) || undefined;

/** Name and email for a staff record made from the token: `name`, else given and family names; an email only if it is one. */
function profileOf(claims: z.infer<typeof claimsSchema>): { name?: string; email?: string } {
  const name = claimText(claims.name, 100) ?? claimText([claims.given_name, claims.family_name].filter(Boolean).join(' '), 100);
  const email = claimText(claims.email, 254);
  return { ...(name ? { name } : {}), ...(email && z.email().safeParse(email).success ? { email } : {}) };
}

export type TokenVerifier = { verify(token: string): Promise<Principal>; describe: string };

export type KeySource = { kind: 'secret'; secret: Uint8Array } | { kind: 'public-key'; pem: string } | { kind: 'jwks'; url: string };

const devSecretFile = (dataDir: string) => path.join(dataDir, 'dev-jwt-secret');

/** The configured key, or (outside production) a development secret kept under the data directory. */
export async function resolveKeySource(
  config: Pick<Config, 'jwt' | 'production' | 'dataDir'>,
  onCreatedDevSecret?: (file: string) => void,
): Promise<KeySource> {
  if (config.jwt.secret) return { kind: 'secret', secret: new TextEncoder().encode(config.jwt.secret) };
  if (config.jwt.publicKey) return { kind: 'public-key', pem: config.jwt.publicKey };
  if (config.jwt.jwksUrl) return { kind: 'jwks', url: config.jwt.jwksUrl };
  if (config.production) {
    throw new Error('No token key configured: set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL (required when NODE_ENV=production)');
  }
  const file = devSecretFile(config.dataDir);
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
    onCreatedDevSecret?.(file);
  }
  return { kind: 'secret', secret: new TextEncoder().encode((await readFile(file, 'utf8')).trim()) };
}

export function createTokenVerifier(
  source: KeySource,
  options: { issuer?: string; audience?: string; knownTenant(id: string): Promise<boolean>; knownPartner(id: string): Promise<boolean> },
): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (source.kind === 'secret') {
    key = source.secret;
    algorithms = ['HS256'];
  } else if (source.kind === 'public-key') {
    algorithms = ['RS256', 'ES256'];
    const keys = new Map<string, ReturnType<typeof importSPKI>>();
    key = async (header) => {
      if (!algorithms.includes(header.alg)) throw new InvalidToken('algorithm not accepted');
      if (!keys.has(header.alg)) keys.set(header.alg, importSPKI(source.pem, header.alg));
      return keys.get(header.alg)!;
    };
  } else {
    algorithms = ['RS256', 'ES256'];
    key = createRemoteJWKSet(new URL(source.url));
  }

  return {
    describe: source.kind,
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key as Uint8Array, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: 5,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw new InvalidToken(`token rejected: ${(error as Error).message}`);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new InvalidToken('token claims are malformed');
      const principal = principalFromClaims(claims.data);
      if (principal.kind === 'STAFF' && !(await options.knownTenant(principal.tenantId))) throw new InvalidToken('unknown tenant');
      if (principal.kind === 'PARTNER' && !(await options.knownPartner(principal.partnerId))) throw new InvalidToken('unknown partner');
      return principal;
    },
  };
}

function principalFromClaims(claims: z.infer<typeof claimsSchema>): Principal {
  const { sub, tenant, partner, roles } = claims;
  if (tenant && partner) throw new InvalidToken('a token names a tenant or a partner, not both');
  if (partner) {
    if (roles.length !== 1 || roles[0] !== 'PARTNER') throw new InvalidToken('a partner token carries the PARTNER role only');
    const scopes = claims.scope.split(' ').filter((scope): scope is PartnerScopeClaim => scope in partnerScopeClaims);
    return { kind: 'PARTNER', subject: sub, partnerId: partner, scopes: [...new Set(scopes)] };
  }
  if (tenant) {
    if (roles.length === 0 || !roles.every((role) => (siteRoles as readonly string[]).includes(role))) {
      throw new InvalidToken('a site token carries one or more site roles');
    }
    return { kind: 'STAFF', subject: sub, tenantId: tenant, roles: [...new Set(roles)] as (typeof siteRoles)[number][], ...profileOf(claims) };
  }
  if (roles.length === 0 || !roles.every((role) => (networkRoles as readonly string[]).includes(role))) {
    throw new InvalidToken('a network token carries one or more network roles');
  }
  return { kind: 'NETWORK', subject: sub, roles: [...new Set(roles)] as (typeof networkRoles)[number][] };
}

export type TokenRequest =
  | { tenant: string; roles: string[]; subject?: string; name?: string; email?: string }
  | { network: string[]; subject?: string }
  | { partner: string; scope: string; subject?: string };

/** Signs an HS256 token (development and tests). */
export async function signToken(secret: Uint8Array, request: TokenRequest, options: { ttlSeconds?: number; issuer?: string; audience?: string } = {}) {
  let claims: Record<string, unknown>;
  let subject: string;
  if ('tenant' in request) {
    claims = { tenant: request.tenant, roles: request.roles, name: request.name, email: request.email };
    subject = request.subject ?? `${request.tenant}.${request.roles[0]!.toLowerCase()}.1`;
  } else if ('network' in request) {
    claims = { roles: request.network };
    subject = request.subject ?? `alliance.${request.network[0]!.toLowerCase()}`;
  } else {
    claims = { partner: request.partner, roles: ['PARTNER'], scope: request.scope };
    subject = request.subject ?? `${request.partner}.integration`;
  }
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secret);
}
