// /readyz: can this instance serve? Distinguishes a database that cannot be reached, one that does
// not answer in time (down, frozen, or busy with other work) and one whose migrations are pending,
// and always answers within the time given.
import type { Database } from '../db/database.js';
import { databaseFailure } from '../db/failures.js';
import { pendingMigrations } from '../db/schema-engine.js';

export type Readiness =
  | { ready: true; body: { status: 'ready'; database: Database['kind'] } }
  | { ready: false; body: { status: 'database unreachable' | 'database timed out' } | { status: 'migrations pending'; pending: string[] } };

export async function readiness(db: Database, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, body: { status: 'database timed out' } }), timeoutMs);
  });
  const check = (async (): Promise<Readiness> => {
    try {
      await db.prisma.$queryRawUnsafe('SELECT 1');
    } catch (error) {
      return { ready: false, body: { status: databaseFailure(error) === 'TIMEOUT' ? 'database timed out' : 'database unreachable' } };
    }
    const pending = await pendingMigrations(db.prisma);
    if (pending.length > 0) return { ready: false, body: { status: 'migrations pending', pending } };
    return { ready: true, body: { status: 'ready', database: db.kind } };
  })().catch((): Readiness => ({ ready: false, body: { status: 'database unreachable' } }));
  try {
    return await Promise.race([check, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
