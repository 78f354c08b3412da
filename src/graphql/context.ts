import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { RequestDb } from '../db/request-scope.js';
import type { PrivacyRecorder } from '../privacy/recorder.js';

export type GraphQLContext = {
  requestId: string;
  log: Logger;
  /** Who is calling; null without a token (every field but the health endpoints then answers UNAUTHENTICATED). */
  principal: Principal | null;
  /** The request's transaction, as the principal; set before execution starts, see db/request-scope.ts. */
  db: RequestDb;
  /** Audit trail and lock-box of this request (privacy/recorder.ts). */
  privacy: PrivacyRecorder;
};
