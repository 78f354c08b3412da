// The REST surfaces (FHIR under /fhir/r4, HSDS under /hsds) run each request through the same
// machinery as a GraphQL operation: the token checked before the body is read, the cost charged to
// the caller's rate-limit keys before any work, one transaction as the restricted role with the
// principal's settings (row-level security), the audit rows written in that transaction just
// before it commits, and the deadline that rolls it back.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { execute, GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { databaseFailure } from '../db/failures.js';
import { isStaffRefusal, principalSettingsSql } from '../db/principal-settings.js';
import { openRequestScope } from '../db/request-scope.js';
import { GraphQLContext } from '../graphql/context.js';
import { badUserInput, serviceUnavailable, timeout, unauthenticated } from '../graphql/errors.js';
import type { PrivacyRecorder } from '../privacy/recorder.js';
import type { CostLimiter } from './rate-limit.js';

export type RestDeps = {
  config: Config;
  db: Database;
  limiter: CostLimiter;
  /** The shield-protected schema: writes go through the very mutations GraphQL callers use. */
  schema: GraphQLSchema;
  recorder: (principal: Principal | null, requestId: string, correlationId: string | null) => PrivacyRecorder;
  /** The caller of a request with an Authorization header (UNAUTHENTICATED when it is not a valid token). */
  authenticate: (request: FastifyRequest) => Promise<Principal>;
  correlationIdOf: (request: FastifyRequest) => string | null;
};

/** Cost units charged for one REST request, whatever it reads: about a page of 20 referrals over GraphQL. */
export const REST_REQUEST_COST = 50;

export type RestWork = {
  principal: Principal;
  /** Kept in the audit rows as the operation name ("FHIR read Patient"). */
  operation: string;
  cost?: number;
};

/**
 * Runs `work` in the request's transaction as `principal` and commits; any error rolls back. Errors
 * are GraphQL errors with the API's stable codes, for each surface to answer in its own format.
 */
export async function runRestRequest<T>(deps: RestDeps, request: FastifyRequest, what: RestWork, work: (ctx: GraphQLContext) => Promise<T>): Promise<T> {
  const { config, db } = deps;
  const deadline = request.deadline!;
  await deps.limiter.charge(what.principal, what.cost ?? REST_REQUEST_COST);
  const correlationId = deps.correlationIdOf(request);
  const ctx = new GraphQLContext({
    requestId: String(request.id),
    correlationId,
    config,
    log: request.log as Logger,
    principal: what.principal,
    deadline,
    privacy: deps.recorder(what.principal, String(request.id), correlationId),
  });
  ctx.privacy.operation = { name: what.operation, documentHash: null };
  const remaining = deadline.remainingMs();
  const [sql, ...params] = principalSettingsSql(what.principal, remaining);
  const waitMs = Math.max(1, Math.min(config.databaseAcquireTimeoutMs, remaining));
  let scope;
  try {
    scope = await openRequestScope(db.prisma, (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), {
      maxWaitMs: waitMs,
      timeoutMs: remaining + 5_000,
    });
  } catch (error) {
    if (waitMs === remaining && /in the given time/.test(String((error as Error)?.message))) deadline.stop('TIMEOUT');
    // The statement that opens the transaction signs staff in: a deactivated record is refused as a bad token is.
    if (isStaffRefusal(error)) {
      ctx.log.info({ reason: 'no active staff record' }, 'token rejected');
      throw unauthenticated('Your account has no active staff record at this site: ask the site administrator');
    }
    throw stopped(ctx) ?? failure(error, config.requestTimeoutMs) ?? error;
  }
  const opened = scope;
  ctx.db = opened.db;
  const onAbort = () => void opened.finish(false).catch(() => {});
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (deadline.stopped) throw stopped(ctx) ?? timeout(config.requestTimeoutMs);
    const result = await work(ctx);
    // The audit trail goes in the same transaction: no data leaves without its audit row.
    await ctx.privacy.flush(ctx.db);
    await opened.finish(true);
    return result;
  } catch (error) {
    await opened.finish(false).catch(() => {});
    throw stopped(ctx) ?? failure(error, config.requestTimeoutMs) ?? error;
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
  }
}

const stopped = (ctx: GraphQLContext) => (ctx.deadline.stopped === 'TIMEOUT' ? timeout(ctx.deadline.ms) : null);

function failure(error: unknown, timeoutMs: number) {
  if (error instanceof GraphQLError) return null;
  const kind = databaseFailure(error);
  if (kind === 'TIMEOUT') return timeout(timeoutMs);
  return kind ? serviceUnavailable() : null;
}

/** The HTTP status and headers an error of the API's codes carries (graphql/errors.ts), or the REST default for its code. */
export function httpOf(error: GraphQLError): { status: number; headers: [string, string][] } {
  const http = error.extensions?.http as { status?: number; headers?: Map<string, string> } | undefined;
  const headers = [...(http?.headers ?? [])];
  if (http?.status) return { status: http.status, headers };
  const byCode: Record<string, number> = {
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    BAD_USER_INPUT: 400,
    CONFLICT: 409,
    INVALID_TRANSITION: 409,
    RATE_LIMITED: 429,
    TIMEOUT: 503,
    SERVICE_UNAVAILABLE: 503,
  };
  return { status: byCode[String(error.extensions?.code)] ?? 500, headers };
}

/** Sets an error's status and headers on the reply; true when it is one of the API's public errors. */
export function applyHttp(reply: FastifyReply, error: GraphQLError): number {
  const { status, headers } = httpOf(error);
  for (const [name, value] of headers) void reply.header(name, value);
  void reply.code(status);
  return status;
}

const validated = new WeakMap<DocumentNode, true>();

/**
 * Runs one operation of the GraphQL schema within a REST request's transaction and context: the
 * same shield rules, input validation, resolvers and audit as a GraphQL caller meets. Returns its
 * data, or throws its first error (an unexpected one as it was, for the surface to log and mask).
 */
export async function executeOperation<T>(deps: RestDeps, ctx: GraphQLContext, document: DocumentNode, variables: Record<string, unknown>): Promise<T> {
  if (!validated.has(document)) {
    const problems = validate(deps.schema, document);
    if (problems.length) throw problems[0]!;
    validated.set(document, true);
  }
  const result = await execute({ schema: deps.schema, document, variableValues: variables, contextValue: ctx });
  const first = result.errors?.[0];
  // A variable the schema could not take: the REST caller's input, mapped by the surface.
  if (first && !first.path) throw badUserInput([{ field: 'input', message: first.message }]);
  if (first) throw first.originalError instanceof GraphQLError ? first.originalError : first.extensions?.code ? first : (first.originalError ?? first);
  return result.data as T;
}
