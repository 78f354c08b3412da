// npm run db:migration -- <name>: writes the next migration from the history-to-schema difference.
// The history is replayed on an in-memory PGlite, so no server is needed.
import { createMigration } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const dir = await createMigration(name);
console.log(dir ? `wrote ${dir}/migration.sql` : 'schema.prisma and the migrations agree: nothing to write');
