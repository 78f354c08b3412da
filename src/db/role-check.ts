import type { PrismaClient } from '../generated/prisma/client.js';
import { principalSettingsSql, requestRole } from './principal-settings.js';

/**
 * Start-up refuses to serve when the role requests run as could bypass row-level security, and
 * takes back its TEMP privilege (a database copied from a template does not carry the revoke of
 * the privacy migration): a temporary table could shadow a real one in an unpinned function.
 */
export async function assertRequestRoleIsRestricted(prisma: PrismaClient) {
  await prisma.$executeRawUnsafe(`DO $$ BEGIN EXECUTE format('REVOKE TEMP ON DATABASE %I FROM PUBLIC, ${requestRole}', current_database()); END $$`);
  const [sql, ...params] = principalSettingsSql(null);
  const [role] = await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(sql, ...params);
    return tx.$queryRawUnsafe<{ name: string; rolsuper: boolean; rolbypassrls: boolean }[]>(
      'SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
  });
  if (!role || role.name !== requestRole || role.rolsuper || role.rolbypassrls) {
    throw new Error(
      `Requests must run as ${requestRole}, a role without SUPERUSER or BYPASSRLS; found ${JSON.stringify(role)}. Row-level security would not apply.`,
    );
  }
}
