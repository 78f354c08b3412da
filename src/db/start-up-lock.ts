import pg from 'pg';

// Any fixed number: instances of this API agree on it, and nothing else in the database uses it.
const startUpLockKey = 7_291_604_113;

/**
 * Runs `work` (migrations, tenant files, seeding) holding a PostgreSQL advisory lock, so instances
 * starting together on one database take turns: the first migrates, the others then find nothing
 * pending. Without it they all enter the schema engine, whose own lock gives up after 10 s (P1002).
 * An embedded database has a single process: no lock.
 */
export async function withStartUpLock<T>(databaseUrl: string | undefined, work: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  if (!databaseUrl) return work();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${Math.round(timeoutMs)}`);
    await client.query('SELECT pg_advisory_lock($1)', [startUpLockKey]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [startUpLockKey]).catch(() => {}); // ending the session releases it too
    }
  } finally {
    await client.end();
  }
}
