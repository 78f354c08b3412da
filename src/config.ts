import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  PGLITE_DIR: z.string().default('./data/pglite'),
  DATA_DIR: z.string().default('./data'),
  TENANTS_DIR: z.string().default('./tenants'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_ON_EMPTY: z.enum(['true', 'false']).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  BODY_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(262_144),
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  QUERY_COST_STAFF: z.coerce.number().int().min(1).default(10_000),
  QUERY_COST_NETWORK: z.coerce.number().int().min(1).default(20_000),
  QUERY_COST_PARTNER: z.coerce.number().int().min(1).default(5_000),
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_SUBJECT: z.coerce.number().int().min(1).default(200_000),
  RATE_LIMIT_SITE: z.coerce.number().int().min(1).default(1_000_000),
  RATE_LIMIT_PARTNER: z.coerce.number().int().min(1).default(50_000),
  REDIS_URL: z.string().url().optional(),
  SUPPRESSION_THRESHOLD: z.coerce.number().int().min(3).default(5),
  PERTURBATION_MAX: z.coerce.number().int().min(1).max(10).default(2),
  PERTURBATION_VARIANCE: z.coerce.number().positive().default(1),
  PERTURBATION_MAGNITUDE: z.coerce.number().min(0).max(1).default(0.5),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  CORS_ORIGINS: z.string().optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PGLITE_FSYNC: z.enum(['true', 'false']).default('true'),
  WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_DISPATCHER: z.enum(['true', 'false']).default('true'),
  WEBHOOK_ALLOW_HTTP_LOOPBACK: z.enum(['true', 'false']).default('false'),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(1_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(10_000),
  WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(3_600_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
});

export type Config = {
  env: string;
  production: boolean;
  port: number;
  host: string;
  databaseUrl?: string;
  databasePoolSize: number;
  pgliteDir: string;
  dataDir: string;
  tenantsDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  seedOnEmpty: boolean;
  jwt: { secret?: string; publicKey?: string; jwksUrl?: string; issuer?: string; audience?: string };
  requestTimeoutMs: number;
  /** Longest a request waits for a database connection (the embedded database's one, or the pool's). */
  databaseAcquireTimeoutMs: number;
  /** Longest a client may take to send a request's headers and body. */
  bodyTimeoutMs: number;
  bodyLimitBytes: number;
  limits: QueryLimits;
  rateLimits: RateLimits;
  redisUrl?: string;
  /** Aggregates never publish a figure that counts or describes fewer people than this (but more than none). */
  suppressionThreshold: number;
  /** The aggregates' cell-key perturbation (src/aggregates/perturbation.ts). */
  perturbation: { maxPerturbation: number; variance: number; magnitude: number };
  /** How long in-flight requests may run on after SIGTERM / SIGINT before their connections are cut. */
  shutdownGraceMs: number;
  /** Front-end origins allowed to call the API from a browser (none by default). */
  corsOrigins: string[];
  /** Prometheus metrics: on their own port, and/or on the main port behind a bearer token; off when neither is set. */
  metrics: { port?: number; token?: string };
  /** Whether the embedded database flushes its files to disk at each commit (server/start.ts). */
  pgliteFsync: boolean;
  webhooks: WebhookConfig;
};

/** Partner webhooks (src/webhooks): signing key, the dispatcher's pace, retries and dead-letter. */
export type WebhookConfig = {
  /** Signing secrets are derived from it (webhooks/signing.ts); unset outside production: a development key file in DATA_DIR. */
  secretKey?: string;
  /** Whether this instance runs a dispatcher (any number may, on one database). */
  dispatcher: boolean;
  /** Accept http:// endpoints on loopback addresses (tests, local development); otherwise HTTPS to public addresses only. */
  allowHttpLoopback: boolean;
  pollMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** Retry n waits a random time between half and all of min(base × 2^(n−1), max). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  /** How long a claimed delivery is the claimer's alone; after that another dispatcher may retry it. */
  leaseMs: number;
};

/** What one operation may cost, checked before it runs (server/limits.ts). */
export type QueryLimits = {
  depth: number;
  aliases: number;
  tokens: number;
  directives: number;
  /** Cost budget of one operation per caller kind (server/cost.ts prices it). */
  cost: { STAFF: number; NETWORK: number; PARTNER: number };
};

/** Cost units each key may spend per window (server/rate-limit.ts). */
export type RateLimits = { windowSeconds: number; subject: number; site: number; partner: number };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`JWT_SECRET=`) means unset, as it does to a shell user.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    pgliteDir: e.PGLITE_DIR === 'memory://' ? e.PGLITE_DIR : path.resolve(e.PGLITE_DIR),
    dataDir: path.resolve(e.DATA_DIR),
    tenantsDir: path.resolve(e.TENANTS_DIR),
    logLevel: e.LOG_LEVEL,
    // Demo data goes into a production database only when asked for in so many words.
    seedOnEmpty: (e.SEED_ON_EMPTY ?? (e.NODE_ENV === 'production' ? 'false' : 'true')) === 'true',
    jwt: {
      secret: e.JWT_SECRET,
      publicKey: e.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    databaseAcquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    bodyTimeoutMs: e.BODY_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    limits: {
      depth: e.QUERY_MAX_DEPTH,
      aliases: e.QUERY_MAX_ALIASES,
      tokens: e.QUERY_MAX_TOKENS,
      directives: e.QUERY_MAX_DIRECTIVES,
      cost: { STAFF: e.QUERY_COST_STAFF, NETWORK: e.QUERY_COST_NETWORK, PARTNER: e.QUERY_COST_PARTNER },
    },
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_S,
      subject: e.RATE_LIMIT_SUBJECT,
      site: e.RATE_LIMIT_SITE,
      partner: e.RATE_LIMIT_PARTNER,
    },
    redisUrl: e.REDIS_URL,
    suppressionThreshold: e.SUPPRESSION_THRESHOLD,
    perturbation: { maxPerturbation: e.PERTURBATION_MAX, variance: e.PERTURBATION_VARIANCE, magnitude: e.PERTURBATION_MAGNITUDE },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    pgliteFsync: e.PGLITE_FSYNC === 'true',
    webhooks: {
      secretKey: e.WEBHOOK_SECRET_KEY,
      dispatcher: e.WEBHOOK_DISPATCHER === 'true',
      allowHttpLoopback: e.WEBHOOK_ALLOW_HTTP_LOOPBACK === 'true',
      pollMs: e.WEBHOOK_POLL_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      leaseMs: e.WEBHOOK_LEASE_MS,
    },
  };
}
