import type { Logger } from 'pino';
import type { RunningServer } from './start.js';

/**
 * SIGTERM / SIGINT: stop accepting, let in-flight requests finish (each commits or rolls back its
 * own transaction before it answers), close the database, exit 0. Connections still busy when the
 * grace period ends are cut; their requests' transactions then roll back. A second signal, or a
 * close that hangs well past the grace period (a frozen database), exits 1 at once.
 */
export function closeOnTerminationSignals(server: Pick<RunningServer, 'app' | 'close'>, logger: Logger, graceMs: number) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, graceMs }, 'shutting down: finishing in-flight requests');
    const grace = setTimeout(() => {
      logger.warn({ graceMs }, 'grace period over: closing the connections still open');
      server.app.server.closeAllConnections();
    }, graceMs);
    const deadline = setTimeout(() => {
      logger.error('shutdown did not complete: exiting');
      process.exit(1);
    }, graceMs + 10_000);
    deadline.unref();
    server.close().then(
      () => {
        clearTimeout(grace);
        logger.info('shut down');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
