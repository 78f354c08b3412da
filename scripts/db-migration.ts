// npm run db:migration -- <name>: writes the next migration from the history-to-schema difference.
// Uses an in-memory PGlite as the shadow database, so no server is needed.
import { openDatabase } from '../src/db/database.js';
import { createMigration } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const db = await openDatabase({ pgliteDir: 'memory://', databasePoolSize: 1 });
try {
  const dir = await createMigration(db.adapterFactory, name);
  console.log(dir ? `wrote ${dir}/migration.sql` : 'schema.prisma and the migrations agree: nothing to write');
} finally {
  await db.close();
}
