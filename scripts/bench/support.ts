// What the benchmarks share: databases on the PostgreSQL server, the demo data at a scale, the API
// (or another server) as a separate process whose CPU time and memory can be read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { seedDemoData } from '../../src/seed/demo-data.js';
import { syncTenants } from '../../src/tenants/tenant-files.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const secret = 'benchmark-secret-benchmark-secret-0123456789';
export const key = new TextEncoder().encode(secret);

export const urlOf = (database: string) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();

export async function onServer(sql: string, database?: string) {
  const client = new pg.Client({ connectionString: database ? urlOf(database) : serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export type Target = { kind: 'pglite' | 'postgres'; env: Record<string, string>; drop(): Promise<void> };

export async function postgresTarget(name: string, { keep = false } = {}): Promise<Target> {
  if (!keep) {
    await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await onServer(`CREATE DATABASE "${name}"`);
  }
  return {
    kind: 'postgres',
    env: { DATABASE_URL: urlOf(name) },
    drop: async () => {
      if (!keep) await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export async function pgliteTarget(): Promise<Target> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'rx-bench-'));
  return { kind: 'pglite', env: { PGLITE_DIR: path.join(parent, 'pglite') }, drop: () => rm(parent, { recursive: true, force: true }) };
}

/** Migrations, site files and the demo data at a scale; with copies, each site-made prescription copied that many times (new ids). */
export async function prepare(target: Target, seedScale: number, prescriptionCopies = 0) {
  const config = loadConfig({ ...process.env, DATABASE_URL: '', ...target.env, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  try {
    await db.migrate();
    await syncTenants(db.prisma, config.tenantsDir);
    const started = performance.now();
    if ((await db.prisma.client.count()) === 0) {
      const summary = await seedDemoData(db.prisma, { scale: seedScale });
      if (prescriptionCopies > 0) {
        const columns = (
          await db.prisma.$queryRawUnsafe<{ name: string }[]>(
            `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'SocialPrescription' AND column_name <> 'id' ORDER BY ordinal_position`,
          )
        ).map(({ name }) => `"${name}"`);
        await db.prisma.$executeRawUnsafe(
          `INSERT INTO "SocialPrescription" (id, ${columns.join(', ')})
             SELECT md5(p.id || ':' || n)::uuid::text, ${columns.map((column) => `p.${column}`).join(', ')}
               FROM "SocialPrescription" p, generate_series(1, ${prescriptionCopies}) n
              WHERE p."referringPartnerId" IS NULL`,
        );
      }
      await db.prisma.$executeRawUnsafe('ANALYZE');
      console.log(`${target.kind}: demo data at scale ${seedScale}: ${summary.clients} clients, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const prescriptions = await db.prisma.socialPrescription.count();
    const tenant = (await db.prisma.socialPrescription.groupBy({ by: ['tenantId'], _count: { _all: true }, orderBy: { _count: { id: 'desc' } }, take: 1 }))[0]!
      .tenantId;
    console.log(`${target.kind}: ${prescriptions} prescriptions; the busiest site is ${tenant}`);
    return { tenant };
  } finally {
    await db.close();
  }
}

export type Server = {
  name: string;
  url: string;
  process: ChildProcess;
  rssMb(): number;
  cpuMs(): number;
  /** Statements sent to PostgreSQL so far, when started with scripts/bench/count-statements.mjs preloaded. */
  statements(): Promise<number>;
  stop(): Promise<void>;
};

/**
 * A server as a child process; it is ready when it logs a JSON line with `url` and a message
 * containing "ready" (pino's format, which the API and the peer servers of the benchmarks share).
 */
export async function startProcess(name: string, args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let counted: ((statements: number) => void) | undefined;
  let errorsShown = 0;
  const url = await new Promise<string>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`${name} exited during start-up (code ${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { url?: string; level?: number; msg?: string; statements?: number };
        if (entry.url && entry.msg?.includes('ready')) resolve(entry.url);
        else if (entry.msg === 'statements') counted?.(entry.statements!);
        else if ((entry.level ?? 0) >= 50 && errorsShown++ < 3) console.error(`${name}: ${entry.msg ?? ''} ${line.slice(0, 600)}`);
      } catch {
        // not a log line
      }
    });
  });
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  return {
    name,
    url,
    process: child,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    cpuMs: () => {
      // utime and stime: fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    },
    statements: () =>
      new Promise<number>((resolve) => {
        counted = resolve;
        child.kill('SIGUSR2');
      }),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The API (`node dist/main.js`, or the TypeScript through tsx) on a target, in production mode, rate limits out of the way. */
export function startApi(target: Target, { built = true, args, name = 'the API' }: { built?: boolean; args?: string[]; name?: string } = {}) {
  return startProcess(name, args ?? (built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts']), {
    DATABASE_URL: '',
    ...target.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    SEED_ON_EMPTY: 'false',
    JWT_SECRET: secret,
    // A throughput benchmark of one caller: rate limits would measure themselves.
    RATE_LIMIT_SUBJECT: '1000000000',
    RATE_LIMIT_SITE: '1000000000',
  });
}

export const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function timed(request: () => Promise<unknown>) {
  const started = performance.now();
  await request();
  return performance.now() - started;
}
