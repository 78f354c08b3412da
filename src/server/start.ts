import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openDatabase, type Database, type DatabaseOptions } from '../db/database.js';
import { readTenantFiles, syncTenants } from '../tenants/tenant-files.js';
import { siteReloader, type SiteReload } from '../tenants/reload.js';
import { seedDemoData } from '../seed/demo-data.js';
import { createDirectory } from '../auth/directory.js';
import { createTokenVerifier, resolveKeySource } from '../auth/tokens.js';
import { assertRequestRoleIsRestricted } from '../db/role-check.js';
import { withStartUpLock } from '../db/start-up-lock.js';
import { buildApp, type AppOptions } from './app.js';
import { startMetricsServer } from './metrics.js';
import { resolveWebhookKey } from '../webhooks/signing.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';

export type RunningServer = {
  app: FastifyInstance;
  db: Database;
  url: string;
  metricsUrl?: string;
  /** Reads the site files again and syncs them (SIGHUP); with any problem, changes nothing and reports them all. */
  reloadSites(): Promise<SiteReload>;
  close(): Promise<void>;
};

export type StartOptions = DatabaseOptions & {
  /** Seed an empty database whatever its kind (tests); by default only a new embedded one is seeded. */
  seedAnyDatabase?: boolean;
  /** What a benchmark's baseline replaces in the app (scripts/bench/api-unaudited.mjs). */
  app?: Pick<AppOptions, 'recorder' | 'requestScope'>;
};

/** Prepares the database (migrations, tenant files, demo data on a new embedded database) and listens. */
export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const started = performance.now();
  // Every problem of every site file, before the database is even opened.
  await readTenantFiles(config.tenantsDir);
  const keySource = await resolveKeySource(config, (file) =>
    logger.warn({ file }, 'no token key configured: created a development secret (npm run token signs with it)'),
  );
  const db = await openDatabase(config, { onQuery: options.onQuery });
  try {
    await withStartUpLock(config.databaseUrl, async () => {
      const applied = await db.migrate();
      if (applied.length > 0) logger.info({ applied }, 'applied migrations');
      const tenants = await syncTenants(db.prisma, config.tenantsDir);
      logger.info({ tenants: tenants.length }, 'tenant files loaded');
      if ((db.kind === 'pglite' || options.seedAnyDatabase) && (await db.prisma.client.count()) === 0) {
        if (config.seedOnEmpty) {
          const summary = await seedDemoData(db.prisma);
          logger.info({ summary }, 'new embedded database: seeded demo data');
        } else if (config.production) {
          logger.info('empty database, not seeded with demo data in production (SEED_ON_EMPTY=true would)');
        }
      }
    });
    await assertRequestRoleIsRestricted(db.prisma);
  } catch (error) {
    await db.close();
    throw error;
  }
  const directory = createDirectory(db.prisma);
  const verifier = createTokenVerifier(keySource, { issuer: config.jwt.issuer, audience: config.jwt.audience, ...directory });
  const webhookKey = await resolveWebhookKey(config, (file) => logger.warn({ file }, 'no WEBHOOK_SECRET_KEY configured: created a development key'));
  if (!webhookKey) logger.warn('WEBHOOK_SECRET_KEY is not set: partner webhooks are off');
  const served = { ...config, webhooks: { ...config.webhooks, secretKey: webhookKey } };
  const app = await buildApp({ config: served, db, logger, verifier, ...options.app });
  const url = await app.listen({ port: config.port, host: config.host });
  const metricsServer = await startMetricsServer(config);
  // The outbox's dispatcher, in-process on either database; several instances may each run one.
  const dispatcher = webhookKey && config.webhooks.dispatcher ? new WebhookDispatcher(db.prisma, config.webhooks, webhookKey, logger).start() : undefined;
  if (metricsServer) logger.info({ url: metricsServer.url }, 'metrics served on their own port');
  logger.info({ url, database: db.kind, ms: Math.round(performance.now() - started) }, 'Rx: Community API ready');
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    url,
    metricsUrl: metricsServer?.url,
    reloadSites: siteReloader(db, config, logger, directory.forget),
    close: () =>
      (closing ??= (async () => {
        // Stops accepting and lets in-flight requests finish; the dispatcher finishes the deliveries
        // it has started (what it has not claimed stays in the outbox for the next start).
        await Promise.all([app.close(), dispatcher?.stop()]);
        await metricsServer?.close();
        await db.close();
      })()),
  };
}
