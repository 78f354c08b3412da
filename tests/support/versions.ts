// Every update* names the version the caller read (optimistic concurrency). Tests that are not
// about concurrency send the version the row is at now, read as the database owner.
import type { TestServer } from './server.js';

/** The version of the row a global id names; 1 for one that does not exist (answered before any version check). */
export async function currentVersion(server: TestServer, globalId: string): Promise<number> {
  const [table, id] = Buffer.from(globalId, 'base64').toString().split(':');
  const rows = await server.db.prisma.$queryRawUnsafe<{ version: number }[]>(`SELECT version FROM "${table}" WHERE id = $1`, id);
  return rows[0]?.version ?? 1;
}

/** The variables of an update*: the change, with the version the row is at now. */
export const versioned = async (server: TestServer, id: string, input: Record<string, unknown> = {}) => ({
  input: { id, expectedVersion: await currentVersion(server, id), ...input },
});
