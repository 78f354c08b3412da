import { signToken, type TokenRequest } from '../../src/auth/tokens.js';

export const testSecret = 'test-secret-for-rx-community-api-only-0123456789';
export const testIssuer = 'https://id.rx-community.test';
export const testAudience = 'rx-community-api';
export const tokenEnv = { JWT_SECRET: testSecret, JWT_ISSUER: testIssuer, JWT_AUDIENCE: testAudience };

const secret = new TextEncoder().encode(testSecret);

export const token = (request: TokenRequest, ttlSeconds = 600) => signToken(secret, request, { ttlSeconds, issuer: testIssuer, audience: testAudience });

export const bearer = async (request: TokenRequest) => ({ authorization: `Bearer ${await token(request)}` });

export const staff = (tenant: string, ...roles: string[]) => bearer({ tenant, roles });
export const network = (...roles: string[]) => bearer({ network: roles });
export const partner = (partnerId: string, scope: string) => bearer({ partner: partnerId, scope });
