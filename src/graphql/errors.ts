// Stable error codes. Anything else that reaches a client is replaced by INTERNAL_SERVER_ERROR
// with the request id, and the original is logged (errorMaskingPlugin, server/graphql-plugins.ts).
import { GraphQLError } from 'graphql';

export const publicErrorCodes = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'INVALID_TRANSITION',
  'CONFLICT',
  // Refused before running (server/limits.ts, server/rate-limit.ts), or cut short (server/failures.ts).
  'QUERY_TOO_COMPLEX',
  'REQUEST_TOO_LARGE',
  'RATE_LIMITED',
  'TIMEOUT',
  'SERVICE_UNAVAILABLE',
  // Apollo's own request errors: the client sent a document or variables that cannot run.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

const error = (code: string, message: string, extra: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { code, ...extra } });

export const unauthenticated = (message = 'Authentication required: send a valid bearer token') => error('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (message = 'Not allowed for your role') => error('FORBIDDEN', message);
export const internalError = () => error('INTERNAL_SERVER_ERROR', 'Internal server error');
export const notFound = (what: string) => error('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => error('CONFLICT', message);
export const invalidTransition = (message: string) => error('INVALID_TRANSITION', message);

/** One operation is over a limit: which, and by how much. HTTP 400. */
export const queryTooComplex = (limit: string, actual: number, max: number) =>
  error('QUERY_TOO_COMPLEX', `Query ${limit} is ${actual}, over the limit of ${max}`, {
    limit: { name: limit, actual, max },
    http: { status: 400 },
  });

const retryAfter = (seconds: number) => new Map([['retry-after', String(Math.max(1, Math.ceil(seconds)))]]);

/** The caller spent its cost units for now. HTTP 429 with Retry-After. */
export const rateLimited = (key: string, retryAfterSeconds: number) =>
  error('RATE_LIMITED', `Rate limit of ${key} reached: retry in ${Math.ceil(retryAfterSeconds)} s`, {
    retryAfter: Math.ceil(retryAfterSeconds),
    http: { status: 429, headers: retryAfter(retryAfterSeconds) },
  });

/** The request's deadline passed; nothing it did was kept. HTTP 503 with Retry-After. */
export const timeout = (ms: number) =>
  error('TIMEOUT', `The request took longer than ${ms} ms and was stopped; nothing was changed`, {
    http: { status: 503, headers: retryAfter(5) },
  });

/** The database cannot be reached (or a connection not had in time). HTTP 503 with Retry-After. */
export const serviceUnavailable = () =>
  error('SERVICE_UNAVAILABLE', 'The database is unavailable; nothing was changed, try again shortly', {
    http: { status: 503, headers: retryAfter(5) },
  });

export type FieldProblem = { field: string; message: string };
export const badUserInput = (problems: FieldProblem[]) =>
  error('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { fields: problems });
