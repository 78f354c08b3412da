import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { Logger } from 'pino';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { InvalidToken, type TokenVerifier } from '../auth/tokens.js';
import { GraphQLContext } from '../graphql/context.js';
import { serviceUnavailable, timeout, unauthenticated } from '../graphql/errors.js';
import { databaseFailure } from '../db/failures.js';
import { PrivacyRecorder } from '../privacy/recorder.js';
import { protectSchema } from '../graphql/permissions.js';
import { schema as openSchema } from '../graphql/schema.js';
import { errorMaskingPlugin, requestTransactionPlugin } from './graphql-plugins.js';
import { RequestDeadline } from './deadline.js';
import { closeQuietConnectionsOnStop } from './quiet-connections.js';
import { createCostLimiter } from './rate-limit.js';
import { readiness } from './readiness.js';
import { PathOnlyLogController, registerHttpSecurity } from './http-security.js';
import { metrics, metricsPlugin, registerMetrics } from './metrics.js';
import type { RestDeps } from './rest-requests.js';
import { registerFhir } from '../fhir/routes.js';
import { registerHsds } from '../hsds/routes.js';

export type AppOptions = {
  config: Config;
  db: Database;
  logger: Logger;
  verifier: TokenVerifier;
  /** The schema to serve; the shield-protected schema unless a test replaces it. */
  schema?: GraphQLSchema;
  /** Makes each request's audit recorder; a PrivacyRecorder unless replaced (a benchmark's baseline). */
  recorder?: (...args: ConstructorParameters<typeof PrivacyRecorder>) => PrivacyRecorder;
  /** Opens each request's transaction; requestTransactionPlugin unless replaced (a benchmark's baseline). */
  requestScope?: ApolloServerPlugin<GraphQLContext>;
};

let protectedSchema: GraphQLSchema | undefined;

/** Longest /readyz waits for the database before saying it timed out. */
const READINESS_TIMEOUT_MS = 5_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** Verified before the body is read (GraphQL requests only). */
    principal: Principal | null;
    deadline: RequestDeadline | null;
  }
}

async function principalOf(request: FastifyRequest, verifier: TokenVerifier): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw unauthenticated();
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

/** Answers outside Apollo with one GraphQL error, its HTTP status and headers taken from the error itself (graphql/errors.ts). */
function sendError(reply: FastifyReply, error: GraphQLError) {
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  for (const [name, value] of http?.headers ?? []) void reply.header(name, value);
  return reply.code(http?.status ?? 500).send({ errors: [{ message: error.message, extensions }] });
}

/** The caller's own `x-request-id`, kept beside the server's id to trace a request across systems. */
function correlationIdOf(request: FastifyRequest): string | null {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : null;
}

const auditingRecorder: NonNullable<AppOptions['recorder']> = (...args) => new PrivacyRecorder(...args);

export async function buildApp({ config, db, logger, verifier, schema, recorder = auditingRecorder, requestScope }: AppOptions): Promise<FastifyInstance> {
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    // The server names every request itself: the id stored in audit rows is never the caller's.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // A client must send its headers and body within this time, or the connection is closed.
    requestTimeout: config.bodyTimeoutMs,
    // Node checks for such connections every 30 s unless told otherwise.
    http: { headersTimeout: config.bodyTimeoutMs, connectionsCheckingInterval: Math.min(1_000, config.bodyTimeoutMs) },
    // Request log lines without query strings (GET /graphql?variables=…).
    logController: new PathOnlyLogController(),
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('deadline', null);
  closeQuietConnectionsOnStop(app);
  await registerHttpSecurity(app, config);
  registerMetrics(app, config, db);
  const limiter = createCostLimiter(config.rateLimits, config.redisUrl);
  app.addHook('onClose', () => limiter.close());

  const apollo = new ApolloServer<GraphQLContext>({
    schema: schema ?? (protectedSchema ??= protectSchema(openSchema)),
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    persistedQueries: false,
    // The main process handles signals (main.ts); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    // graphql-js stops parsing at this many tokens: a huge document costs no more than a small one.
    parseOptions: { maxTokens: config.limits.tokens },
    formatError: (formatted, error) => {
      const original = (error as { originalError?: Error })?.originalError;
      // Pothos rejects malformed global ids and out-of-range page sizes, the Date scalars impossible
      // dates (in a variable or written in the document): the caller's input.
      if (original?.name === 'PothosValidationError' || original?.name === 'InvalidScalarValue')
        return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
      const tokens = /contains more tha[nt] (\d+) tokens/.exec(formatted.message);
      if (tokens) {
        metrics.rejected('tokens');
        return {
          message: `Query tokens are over the limit of ${tokens[1]}`,
          extensions: { code: 'QUERY_TOO_COMPLEX', limit: { name: 'tokens', max: Number(tokens[1]) } },
        };
      }
      return formatted;
    },
    plugins: [
      // No HTTP caching of answers that hold personal health information; and the cache-control plugin wraps every field.
      ApolloServerPluginCacheControlDisabled(),
      fastifyApolloDrainPlugin(app),
      errorMaskingPlugin(),
      metricsPlugin(),
      requestScope ?? requestTransactionPlugin(db, config, limiter),
    ],
  });
  await apollo.start();

  app.addHook('onRequest', async (request, reply) => {
    const deadline = new RequestDeadline(config.requestTimeoutMs);
    request.deadline = deadline;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) deadline.stop('DISCONNECTED');
      deadline.dispose();
    });
    // The request's own handling answers TIMEOUT as soon as its work stops; should that work hang
    // (a frozen database), the caller still gets its answer a moment later.
    deadline.signal.addEventListener('abort', () => {
      if (deadline.stopped !== 'TIMEOUT') return;
      setTimeout(() => {
        if (!reply.sent) void sendError(reply, timeout(config.requestTimeoutMs));
      }, 1_000).unref();
    });
    if (request.url !== '/graphql' && !request.url.startsWith('/graphql?')) return;
    // Before the body is read: without a valid token nothing is parsed, validated or run.
    try {
      request.principal = await principalOf(request, verifier);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return sendError(reply, error);
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const correlationId = correlationIdOf(request);
    if (correlationId) reply.header('x-correlation-id', correlationId);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Token checks read the site list: a database that fails there answers as it would anywhere.
    const failure = databaseFailure(error);
    if (failure) return sendError(reply, failure === 'TIMEOUT' ? timeout(config.requestTimeoutMs) : serviceUnavailable());
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (status === 413) metrics.rejected('body size');
    const code = status === 413 ? 'REQUEST_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message =
      status === 413 ? `The request body is over the limit of ${config.bodyLimitBytes} bytes` : status < 500 ? error.message : 'Internal server error';
    return reply.code(status).send({ errors: [{ message, extensions: { code, ...(status >= 500 ? { requestId: request.id } : {}) } }] });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const { ready, body } = await readiness(db, READINESS_TIMEOUT_MS);
    if (!ready) request.log.warn({ readiness: body.status }, 'not ready');
    return reply.code(ready ? 200 : 503).send(body);
  });

  // The REST surfaces run through the same token check, rate limits, request transaction and audit.
  const rest: RestDeps = {
    config,
    db,
    limiter,
    schema: schema ?? (protectedSchema ??= protectSchema(openSchema)),
    recorder,
    authenticate: (request) => principalOf(request, verifier),
    correlationIdOf,
  };
  await registerFhir(app, rest);
  await registerHsds(app, rest);

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: async (request): Promise<GraphQLContext> => {
      const principal = request.principal!;
      const correlationId = correlationIdOf(request);
      return new GraphQLContext({
        requestId: String(request.id),
        correlationId,
        config,
        log: request.log as Logger,
        principal,
        deadline: request.deadline!,
        privacy: recorder(principal, String(request.id), correlationId),
        acceptLanguage: request.headers['accept-language'] ?? null,
      });
    },
  });

  return app;
}
