import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server/start.js';
import { closeOnTerminationSignals } from './server/shutdown.js';

const config = loadConfig();
const logger = createLogger(config);

try {
  const server = await startServer(config, logger);
  closeOnTerminationSignals(server, logger, config.shutdownGraceMs);
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  process.exit(1);
}
