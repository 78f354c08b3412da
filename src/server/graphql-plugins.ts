import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Database } from '../db/database.js';
import { principalSettingsSql } from '../db/principal-settings.js';
import { openRequestScope, type RequestScope } from '../db/request-scope.js';
import type { GraphQLContext } from '../graphql/context.js';
import { publicErrorCodes } from '../graphql/errors.js';

/**
 * Opens the request's transaction once the operation is known — as the restricted role, with the
 * principal's settings — and ends it with the response: a mutation that met any error rolls back.
 */
export function requestTransactionPlugin(db: Database, timeoutMs: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let scope: RequestScope | undefined;
      let mutationFailed = false;
      return {
        async didResolveOperation({ contextValue, operationName, queryHash }) {
          contextValue.privacy.operation = { name: operationName ?? null, documentHash: queryHash ?? null };
          const [sql, ...params] = principalSettingsSql(contextValue.principal);
          scope = await openRequestScope(db.prisma, (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), {
            maxWaitMs: 10_000,
            timeoutMs,
          });
          contextValue.db = scope.db;
        },
        async didEncounterErrors({ operation }) {
          if (operation?.operation === 'mutation') mutationFailed = true;
        },
        async willSendResponse({ contextValue, response }) {
          if (!scope) return;
          try {
            // The audit trail goes in the same transaction: no data leaves without its audit row.
            if (!mutationFailed) await contextValue.privacy.flush(contextValue.db);
            await scope.finish(!mutationFailed);
          } catch (error) {
            await scope.finish(false).catch(() => {});
            contextValue.log.error({ err: error }, 'request transaction failed to commit');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [internal(contextValue.requestId)];
            }
          }
        },
      };
    },
  };
}

/** Benchmark baseline only: the owner connection, no transaction, no row-level security. */
export function unscopedDatabasePlugin(db: Database): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          contextValue.db = db.prisma as unknown as GraphQLContext['db'];
        },
      };
    },
  };
}

const internal = (requestId: string): GraphQLFormattedError => ({
  message: 'Internal server error',
  extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
});

/** Clients see only errors with a public code; everything else is logged and answered with the request id. */
export function errorMaskingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code !== 'string' || !publicErrorCodes.has(code)) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const code = error.extensions?.code;
            if (typeof code === 'string' && publicErrorCodes.has(code)) {
              const { http: _http, stacktrace: _stack, ...extensions } = error.extensions ?? {};
              return { ...error, extensions };
            }
            return { ...internal(contextValue.requestId), path: error.path };
          });
        },
      };
    },
  };
}
