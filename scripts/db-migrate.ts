// npm run db:migrate: applies pending migrations and the tenant files to the configured database.
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { readTenantFiles, syncTenants } from '../src/tenants/tenant-files.js';
import { StartUpProblem } from '../src/server/start-up-problem.js';

// On the embedded database, a running server holds the folder (src/db/folder-lock.ts): this
// refuses, saying so; the server applies migrations at start and site files on SIGHUP itself.
const config = loadConfig();
try {
  await readTenantFiles(config.tenantsDir);
  const db = await openDatabase(config);
  try {
    const applied = await db.migrate();
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    const tenants = await syncTenants(db.prisma, config.tenantsDir);
    console.log(`tenants: ${tenants.length}`);
  } finally {
    await db.close();
  }
} catch (error) {
  if (!(error instanceof StartUpProblem)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
