// npm run db:migrate: applies pending migrations and the tenant files to the configured database.
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { syncTenants } from '../src/tenants/tenant-files.js';

const config = loadConfig();
const db = await openDatabase(config);
try {
  const applied = await db.migrate();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  const tenants = await syncTenants(db.prisma, config.tenantsDir);
  console.log(`tenants: ${tenants.length}`);
} finally {
  await db.close();
}
