import type { PrismaClient } from '../generated/prisma/client.js';
import { principalSettingsSql, requestRole, requestRoles } from './principal-settings.js';

/**
 * Start-up refuses to serve when a role requests run as (rx_app, and rx_partner for partners) could
 * bypass row-level security, and takes back their TEMP privilege (a database copied from a template does not carry the revoke of
 * the privacy migration): a temporary table could shadow a real one in an unpinned function.
 */
export async function assertRequestRoleIsRestricted(prisma: PrismaClient) {
  await prisma.$executeRawUnsafe(
    `DO $$ BEGIN EXECUTE format('REVOKE TEMP ON DATABASE %I FROM PUBLIC, ${requestRoles.join(', ')}', current_database()); END $$`,
  );
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
  const unrestricted = await prisma.$queryRawUnsafe<{ name: string }[]>(
    'SELECT rolname AS name FROM pg_roles WHERE rolname = ANY ($1) AND (rolsuper OR rolbypassrls)',
    requestRoles,
  );
  if (unrestricted.length > 0) {
    throw new Error(
      `Requests must run as roles without SUPERUSER or BYPASSRLS; ${unrestricted.map((r) => r.name).join(', ')} has one. Row-level security would not apply.`,
    );
  }
}
