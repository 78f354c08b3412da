// Adding a site without a restart: on SIGHUP (main.ts) the running server reads the site files
// again and syncs them, as at start-up. A reload that finds any problem in any file changes
// nothing: the sites stay as they were, and the log lists every problem.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { withStartUpLock } from '../db/start-up-lock.js';
import { syncTenants, TenantFileError, type TenantFileProblem } from './tenant-files.js';

export type SiteReload = { sites: number; added: string[]; problems: TenantFileProblem[] };

/** A reload function for one server; reloads asked for while one runs wait their turn. */
export function siteReloader(db: Database, config: Pick<Config, 'databaseUrl' | 'tenantsDir'>, logger: Logger, onChange: () => void) {
  let queue: Promise<unknown> = Promise.resolve();
  const reload = async (): Promise<SiteReload> => {
    const before = new Set((await db.prisma.tenant.findMany({ select: { id: true } })).map((t) => t.id));
    try {
      const tenants = await withStartUpLock(config.databaseUrl, () => syncTenants(db.prisma, config.tenantsDir));
      onChange();
      const added = tenants.map((t) => t.id).filter((id) => !before.has(id));
      logger.info({ tenants: tenants.length, added }, 'site files reloaded');
      return { sites: before.size + added.length, added, problems: [] };
    } catch (error) {
      if (!(error instanceof TenantFileError)) throw error;
      logger.error({ problems: error.problems }, `site files not reloaded, the ${before.size} sites stay as they were: ${error.message}`);
      return { sites: before.size, added: [], problems: error.problems };
    }
  };
  return (): Promise<SiteReload> => {
    const next = queue.then(reload);
    queue = next.catch(() => {});
    return next;
  };
}
