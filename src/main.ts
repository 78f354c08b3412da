import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server/start.js';
import { closeOnTerminationSignals } from './server/shutdown.js';
import { StartUpProblem } from './server/start-up-problem.js';

const config = loadConfig();
const logger = createLogger(config);

try {
  const server = await startServer(config, logger);
  closeOnTerminationSignals(server, logger, config.shutdownGraceMs);
  // SIGHUP: read the site files again (a new site joins without a restart); problems are logged.
  process.on('SIGHUP', () => {
    server.reloadSites().catch((error: unknown) => logger.error({ err: error }, 'site reload failed'));
  });
} catch (error) {
  if (error instanceof StartUpProblem) {
    // The operator's to fix: the message says what, a stack trace would only hide it.
    logger.fatal(error.message);
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  }
  process.exit(1);
}
