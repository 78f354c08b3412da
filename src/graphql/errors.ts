// Stable error codes. Anything else that reaches a client is replaced by INTERNAL_SERVER_ERROR
// with the request id, and the original is logged (see server/error-masking.ts).
import { GraphQLError } from 'graphql';

export const publicErrorCodes = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'INVALID_TRANSITION',
  'CONFLICT',
  // Apollo's own request errors: the client sent a document or variables that cannot run.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

const error = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

export const unauthenticated = (message = 'Authentication required: send a valid bearer token') =>
  error('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (message = 'Not allowed for your role') => error('FORBIDDEN', message);
export const internalError = () => error('INTERNAL_SERVER_ERROR', 'Internal server error');
export const notFound = (what: string) => error('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => error('CONFLICT', message);
export const invalidTransition = (message: string) => error('INVALID_TRANSITION', message);

export type FieldProblem = { field: string; message: string };
export const badUserInput = (problems: FieldProblem[]) =>
  error('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { fields: problems });
