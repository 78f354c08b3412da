// Rate limits in cost units (the same price the per-operation budget uses), per subject, per site
// and per partner. In memory by default; with REDIS_URL every instance draws on the same counters,
// and a Redis outage falls back to each instance's own memory rather than refusing everybody.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';
import type { RateLimits } from '../config.js';
import { rateLimited } from '../graphql/errors.js';

export type CostLimiter = {
  /** Spends `cost` units of each of the caller's keys; throws RATE_LIMITED when one is spent. */
  charge(principal: Principal, cost: number): Promise<void>;
  close(): Promise<void>;
};

type Scope = 'subject' | 'site' | 'partner';

const keysOf = (principal: Principal): [Scope, string][] => [
  ['subject', `${principal.kind}:${principal.subject}`],
  ...(principal.kind === 'STAFF' ? [['site', principal.tenantId] as [Scope, string]] : []),
  ...(principal.kind === 'PARTNER' ? [['partner', principal.partnerId] as [Scope, string]] : []),
];

export function createCostLimiter(limits: RateLimits, redisUrl?: string): CostLimiter {
  const redis = redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : undefined;
  // Without a listener ioredis reports every failed reconnection as an unhandled error.
  redis?.on('error', () => {});
  const limiter = (scope: Scope): RateLimiterAbstract => {
    const options = { keyPrefix: `rx:cost:${scope}`, points: limits[scope], duration: limits.windowSeconds };
    return redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
      : new RateLimiterMemory(options);
  };
  const limiters: Record<Scope, RateLimiterAbstract> = { subject: limiter('subject'), site: limiter('site'), partner: limiter('partner') };
  return {
    async charge(principal, cost) {
      if (cost <= 0) return;
      for (const [scope, key] of keysOf(principal)) {
        try {
          await limiters[scope].consume(key, cost);
        } catch (outcome) {
          if (outcome instanceof RateLimiterRes) throw rateLimited(scope, outcome.msBeforeNext / 1000);
          throw outcome;
        }
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}
