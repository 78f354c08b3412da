import type { Logger } from 'pino';
import type { RequestDb } from '../db/request-scope.js';

export type GraphQLContext = {
  requestId: string;
  log: Logger;
  /** The request's transaction; set before execution starts, see db/request-scope.ts. */
  db: RequestDb;
};
