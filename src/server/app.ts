import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { Logger } from 'pino';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/schema-engine.js';
import { InvalidToken, type TokenVerifier } from '../auth/tokens.js';
import type { GraphQLContext } from '../graphql/context.js';
import { unauthenticated } from '../graphql/errors.js';
import { PrivacyRecorder, UnauditedRecorder } from '../privacy/recorder.js';
import { protectSchema } from '../graphql/permissions.js';
import { schema as openSchema } from '../graphql/schema.js';
import { errorMaskingPlugin, requestTransactionPlugin, unscopedDatabasePlugin } from './graphql-plugins.js';

export type AppOptions = {
  config: Config;
  db: Database;
  logger: Logger;
  verifier: TokenVerifier;
  /** The schema to serve; the shield-protected schema unless a test replaces it. */
  schema?: GraphQLSchema;
  /**
   * Measurement only (scripts/bench-request-transaction.ts), never set in serving code:
   * `unscoped` reads on the owner connection (no transaction, no row-level security, no audit);
   * `unaudited` keeps the transaction but writes no audit rows.
   */
  benchmarkBaseline?: 'unscoped' | 'unaudited';
};

let protectedSchema: GraphQLSchema | undefined;

async function principalOf(request: FastifyRequest, verifier: TokenVerifier) {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <JWT>"');
  try {
    return await verifier.verify(match[1]!);
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error;
    request.log.info({ reason: error.message }, 'token rejected');
    throw unauthenticated('Invalid or expired token');
  }
}

/** The caller's own `x-request-id`, kept beside the server's id to trace a request across systems. */
function correlationIdOf(request: FastifyRequest): string | null {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : null;
}

export async function buildApp({ config, db, logger, verifier, schema, benchmarkBaseline }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The server names every request itself: the id stored in audit rows is never the caller's.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1_048_576,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema: schema ?? (protectedSchema ??= protectSchema(openSchema)),
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    persistedQueries: false,
    // Pothos rejects malformed global ids and out-of-range page sizes: the caller's input.
    formatError: (formatted, error) =>
      (error as { originalError?: Error })?.originalError?.name === 'PothosValidationError'
        ? { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } }
        : formatted,
    plugins: [
      fastifyApolloDrainPlugin(app),
      errorMaskingPlugin(),
      benchmarkBaseline === 'unscoped' ? unscopedDatabasePlugin(db) : requestTransactionPlugin(db, config.requestTimeoutMs),
    ],
  });
  await apollo.start();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      const pending = await pendingMigrations(db.prisma);
      if (pending.length > 0) return reply.code(503).send({ status: 'migrations pending', pending });
      return { status: 'ready', database: db.kind };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: async (request): Promise<GraphQLContext> => {
      const principal = await principalOf(request, verifier);
      const correlationId = correlationIdOf(request);
      return {
        requestId: String(request.id),
        correlationId,
        config,
        log: request.log as Logger,
        principal,
        db: undefined as unknown as GraphQLContext['db'],
        privacy: new (benchmarkBaseline ? UnauditedRecorder : PrivacyRecorder)(principal, String(request.id), correlationId),
      };
    },
  });

  return app;
}
