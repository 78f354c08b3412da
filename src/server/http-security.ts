import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * Browser-facing protections of a JSON API: only the configured front-end origins may call it
 * cross-origin (none by default), and the security headers that apply to JSON responses.
 */
export async function registerHttpSecurity(app: FastifyInstance, config: Pick<Config, 'corsOrigins' | 'production'>) {
  await app.register(helmet, {
    // Responses are JSON: nothing to load, nowhere to be framed. In development Apollo's landing
    // page (an HTML page loading its sandbox from a CDN) is served on GET /graphql: no CSP there.
    contentSecurityPolicy: config.production ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
  });
}

const pathOf = (request: FastifyRequest) => request.url.split('?')[0];

/**
 * Fastify's request log, less the query string: a GET /graphql carries the document and its
 * variables (a client's name, say) there. Everything else as Fastify logs it.
 */
export class PathOnlyLogController extends LogController {
  override incomingRequest(request: FastifyRequest) {
    request.log.info({ method: request.method, path: pathOf(request), remoteAddress: request.ip }, 'incoming request');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply) {
    if (reply.statusCode >= 500) reply.log.error({ method: request.method, path: pathOf(request), res: reply, err: error }, error?.message);
    else reply.log.info({ res: reply, code: (error as { code?: string })?.code }, 'request refused');
  }

  override routeNotFound(request: FastifyRequest) {
    request.log.info({ method: request.method, path: pathOf(request) }, 'route not found');
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply) {
    reply.log.warn({ method: request.method, path: pathOf(request), res: reply, err: error }, error?.message);
  }
}
