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
  SEED_ON_EMPTY: z.enum(['true', 'false']).default('true'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  SUPPRESSION_THRESHOLD: z.coerce.number().int().min(3).default(5),
  PERTURBATION_MAX: z.coerce.number().int().min(1).max(10).default(2),
  PERTURBATION_VARIANCE: z.coerce.number().positive().default(1),
  PERTURBATION_MAGNITUDE: z.coerce.number().min(0).max(1).default(0.5),
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
  /** Aggregates never publish a figure that counts or describes fewer people than this (but more than none). */
  suppressionThreshold: number;
  /** The aggregates' cell-key perturbation (src/aggregates/perturbation.ts). */
  perturbation: { maxPerturbation: number; variance: number; magnitude: number };
};

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
    seedOnEmpty: e.SEED_ON_EMPTY === 'true',
    jwt: {
      secret: e.JWT_SECRET,
      publicKey: e.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    suppressionThreshold: e.SUPPRESSION_THRESHOLD,
    perturbation: { maxPerturbation: e.PERTURBATION_MAX, variance: e.PERTURBATION_VARIANCE, magnitude: e.PERTURBATION_MAGNITUDE },
  };
}
