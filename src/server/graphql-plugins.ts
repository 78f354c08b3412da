import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config.js';
import { databaseFailure } from '../db/failures.js';
import type { Database } from '../db/database.js';
import { isStaffRefusal, principalSettingsSql } from '../db/principal-settings.js';
import { openRequestScope, type RequestScope } from '../db/request-scope.js';
import type { GraphQLContext } from '../graphql/context.js';
import { publicErrorCodes, serviceUnavailable, timeout, unauthenticated } from '../graphql/errors.js';
import { admitOperation } from './limits.js';
import { metrics } from './metrics.js';
import type { CostLimiter } from './rate-limit.js';

/**
 * Admits the operation (limits, then rate limits: nothing is spent on a refused one), then opens
 * the request's transaction — as the restricted role, with the principal's settings and the
 * request's remaining time as its statement timeout — and ends it with the response: a mutation
 * that met any error rolls back, and so does a request stopped by its deadline or its caller.
 */
export function requestTransactionPlugin(db: Database, config: Config, limiter: CostLimiter): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let scope: RequestScope | undefined;
      let mutationFailed = false;
      return {
        async didResolveOperation({ contextValue: ctx, document, operationName, queryHash, request, schema }) {
          const principal = ctx.principal!;
          let cost: number;
          try {
            cost = admitOperation(principal, { schema, document, operationName, variables: request.variables ?? {}, context: ctx }, config.limits);
          } catch (error) {
            const limit = (error as GraphQLError).extensions?.limit as { name: string } | undefined;
            metrics.rejected(limit?.name ?? 'input');
            throw refusedBeforeRunning(error);
          }
          await limiter.charge(principal, cost).catch((error: unknown) => {
            metrics.rateLimited();
            throw error;
          });
          ctx.privacy.operation = { name: operationName ?? null, documentHash: queryHash ?? null };
          const remaining = ctx.deadline.remainingMs();
          const [sql, ...params] = principalSettingsSql(principal, remaining);
          const waitMs = Math.max(1, Math.min(config.databaseAcquireTimeoutMs, remaining));
          try {
            scope = await openRequestScope(db.prisma, (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), {
              maxWaitMs: waitMs,
              // Prisma's own limit only backs up the deadline below, which rolls back first.
              timeoutMs: remaining + 5_000,
            });
          } catch (error) {
            // Waiting for a connection until the deadline is the deadline passing, not the pool failing.
            if (waitMs === remaining && /in the given time/.test(String((error as Error)?.message))) ctx.deadline.stop('TIMEOUT');
            throw stoppedError(ctx) ?? failureError(error, config.requestTimeoutMs) ?? refusedStaff(ctx, error) ?? error;
          }
          const opened = scope;
          ctx.db = opened.db;
          // Stopped mid-way: roll back at once; the resolvers still running fail on the closed transaction.
          ctx.deadline.signal.addEventListener('abort', () => void opened.finish(false).catch(() => {}), { once: true });
          if (ctx.deadline.stopped) await opened.finish(false).catch(() => {});
        },
        async didEncounterErrors({ operation }) {
          if (operation?.operation === OperationTypeNode.MUTATION) mutationFailed = true;
        },
        async willSendResponse({ contextValue: ctx, response }) {
          if (!scope) return;
          if (ctx.deadline.stopped) {
            // Not awaited: a rollback on a frozen connection must not hold the answer. Nothing of
            // the request is kept, its audit rows included: its data never reached the caller.
            void scope.finish(false).catch(() => {});
            const stopped = stoppedError(ctx);
            if (stopped) replaceBody(response, stopped);
            return;
          }
          try {
            // The audit trail goes in the same transaction: no data leaves without its audit row.
            if (!mutationFailed) await ctx.privacy.flush(ctx.db);
            await scope.finish(!mutationFailed);
          } catch (error) {
            await scope.finish(false).catch(() => {});
            const failure = stoppedError(ctx) ?? failureError(error, ctx.config.requestTimeoutMs);
            if (!failure) ctx.log.error({ err: error }, 'request transaction failed to commit');
            replaceBody(response, failure ?? internal(ctx.requestId));
          }
        },
      };
    },
  };
}

/**
 * Pricing the operation reads its arguments through their rules (zod, clean strings): an argument
 * refused then refuses the whole request, with 400 like a variable that does not coerce (not 500).
 */
function refusedBeforeRunning(error: unknown) {
  if (!(error instanceof GraphQLError) || error.extensions.http) return error;
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/** The answer for a request stopped by its deadline; null while it may go on (or its caller left: nobody to tell). */
function stoppedError(ctx: GraphQLContext) {
  return ctx.deadline.stopped === 'TIMEOUT' ? timeout(ctx.deadline.ms) : null;
}

/**
 * UNAUTHENTICATED (401) when the transaction's first statement refused a staff member: a deactivated
 * staff record, or none at a site that requires provisioning (db/principal-settings.ts).
 */
function refusedStaff(ctx: GraphQLContext, error: unknown) {
  if (!isStaffRefusal(error)) return null;
  ctx.log.info({ reason: 'no active staff record' }, 'token rejected');
  return unauthenticated('Your account has no active staff record at this site: ask the site administrator');
}

/** SERVICE_UNAVAILABLE or TIMEOUT for the database's failures; null for anything else. */
function failureError(error: unknown, timeoutMs: number) {
  const failure = databaseFailure(error);
  if (failure === 'TIMEOUT') return timeout(timeoutMs);
  return failure ? serviceUnavailable() : null;
}

/** The whole answer becomes one error: partial data from a transaction that did not commit is not sent. */
function replaceBody(response: GraphQLResponse, error: GraphQLError | GraphQLFormattedError) {
  const formatted: GraphQLFormattedError = error instanceof GraphQLError ? error.toJSON() : error;
  const { http, ...extensions } = (formatted.extensions ?? {}) as { http?: { status?: number; headers?: Map<string, string> } };
  if (response.body.kind === 'single') response.body.singleResult = { data: null, errors: [{ message: formatted.message, extensions }] };
  response.http.status = http?.status ?? 500;
  for (const [name, value] of http?.headers ?? []) response.http.headers.set(name, value);
}

const internal = (requestId: string): GraphQLFormattedError => ({
  message: 'Internal server error',
  extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
});

/**
 * Clients see only errors with a public code; everything else is logged and answered with the
 * request id. A database failure met by any resolver answers for the whole request, with 503.
 */
export function errorMaskingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let failure: GraphQLError | null = null;
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && publicErrorCodes.has(code)) {
              // The caller's mistake: logged by its code only, as its message may quote the input.
              contextValue.log.info({ code, path: error.path }, 'answered with an error');
              continue;
            }
            const cause = error.originalError ?? error;
            failure ??= failureError(cause, contextValue.config.requestTimeoutMs);
            if (!failure) contextValue.log.error({ err: cause, path: error.path }, 'unexpected error');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          if (failure) return replaceBody(response, failure);
          let internalError = false;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const code = error.extensions?.code;
            if (typeof code === 'string' && publicErrorCodes.has(code)) {
              const { http: _http, stacktrace: _stack, ...extensions } = error.extensions ?? {};
              return { ...error, extensions };
            }
            internalError = true;
            return { ...internal(contextValue.requestId), path: error.path };
          });
          if (internalError) response.http.status = 500;
        },
      };
    },
  };
}
