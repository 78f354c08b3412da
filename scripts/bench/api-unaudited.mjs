// The API as `node dist/main.js` serves it, but writing no audit rows: the figure `npm run bench:peer`
// prints beside its headline (which keeps the audit on: it is a duty).
import { loadConfig } from '../../dist/config.js';
import { createLogger } from '../../dist/logger.js';
import { PrivacyRecorder } from '../../dist/privacy/recorder.js';
import { startServer } from '../../dist/server/start.js';

class Unaudited extends PrivacyRecorder {
  async flush() {}
}
const config = loadConfig();
await startServer(config, createLogger(config), { app: { recorder: (...args) => new Unaudited(...args) } });
