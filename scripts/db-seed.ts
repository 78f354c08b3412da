// npm run db:seed [-- --scale N] [--seed S] [--reset]: loads the deterministic demo data set.
// Applies pending migrations and the tenant files first. Refuses a database that already holds
// clients unless --reset, which deletes every demo row (and the audit trail) before seeding.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { syncTenants } from '../src/tenants/tenant-files.js';
import { seedDemoData } from '../src/seed/demo-data.js';
import { deleteDemoData } from '../src/seed/reset.js';
import { StartUpProblem } from '../src/server/start-up-problem.js';

const usage = 'usage: npm run db:seed [-- --scale N] [--seed S] [--reset]';

let args: { scale: number; seed: number | undefined; reset: boolean };
try {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, not "${values.scale}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, not "${values.seed}"`);
  args = { scale, seed, reset: values.reset };
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
const target = config.databaseUrl ? describeUrl(config.databaseUrl) : `PGlite at ${config.pgliteDir}`;
let db: Awaited<ReturnType<typeof openDatabase>>;
try {
  db = await openDatabase(config);
} catch (error) {
  if (!(error instanceof StartUpProblem)) throw error;
  console.error(error.message);
  process.exit(1);
}
try {
  const applied = await db.migrate();
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
  const tenants = await syncTenants(db.prisma, config.tenantsDir);
  console.log(`${target}: ${tenants.length} tenants`);

  const existing = await db.prisma.client.count();
  if (existing > 0 && !args.reset) {
    console.error(
      `refusing to seed: ${target} already holds ${existing} client(s).\n` +
        'Run `npm run db:seed -- --reset` to delete all demo rows (clients, prescriptions, programs, assets, staff, audit events) first.',
    );
    process.exitCode = 1;
  } else {
    if (args.reset) {
      const deleted = await deleteDemoData(db.prisma);
      const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
      console.log(`--reset: deleted ${total} rows`);
    }
    const started = performance.now();
    const summary = await seedDemoData(db.prisma, { scale: args.scale, seed: args.seed });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`seeded demo data (scale ${args.scale}) in ${seconds} s:`);
    const width = Math.max(...Object.keys(summary).map((key) => key.length));
    for (const [table, count] of Object.entries(summary)) console.log(`  ${table.padEnd(width)}  ${count}`);
  }
} catch (error) {
  console.error(error instanceof StartUpProblem ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.close();
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
