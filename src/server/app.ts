import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { Logger } from 'pino';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { openRequestScope, type RequestScope } from '../db/request-scope.js';
import { pendingMigrations } from '../db/schema-engine.js';
import type { GraphQLContext } from '../graphql/context.js';
import { schema as defaultSchema } from '../graphql/schema.js';

export type AppOptions = {
  config: Config;
  db: Database;
  logger: Logger;
  schema?: GraphQLSchema;
};

/** Opens the request's transaction once the operation is known, and ends it with the response. */
function requestTransactionPlugin(db: Database): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let scope: RequestScope | undefined;
      let failed = false;
      return {
        async didResolveOperation({ contextValue }) {
          scope = await openRequestScope(db.prisma, async () => {}, { maxWaitMs: 10_000, timeoutMs: 30_000 });
          contextValue.db = scope.db;
        },
        async didEncounterErrors({ operation }) {
          if (operation?.operation === 'mutation') failed = true;
        },
        async willSendResponse({ contextValue, response }) {
          if (!scope) return;
          try {
            await scope.finish(!failed);
          } catch (error) {
            contextValue.log.error({ err: error }, 'request transaction failed to commit');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                { message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.requestId } },
              ];
            }
          }
        },
      };
    },
  };
}

export async function buildApp({ config, db, logger, schema = defaultSchema }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1_048_576,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    persistedQueries: false,
    plugins: [fastifyApolloDrainPlugin(app), requestTransactionPlugin(db)],
  });
  await apollo.start();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      const pending = await pendingMigrations(db.prisma);
      if (pending.length > 0) return reply.code(503).send({ status: 'migrations pending', pending });
      return { status: 'ready', database: db.kind };
    } catch (error) {
      _request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: async (request) => ({
      requestId: String(request.id),
      log: request.log as Logger,
      db: undefined as unknown as GraphQLContext['db'],
    }),
  });

  return app;
}
