import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * Browser-facing protections of a JSON API: only the configured front-end origins may call it
 * cross-origin (none by default), and the security headers that apply to JSON responses.
 */
export async function registerHttpSecurity(app: FastifyInstance, config: Pick<Config, 'corsOrigins' | 'production'>) {
  await app.register(helmet, {
    // Responses are JSON: nothing to load, nowhere to be framed. In development Apollo's landing
    // page (an HTML page loading its sandbox from a CDN) is served on GET /graphql: no CSP there.
    contentSecurityPolicy: config.production
      ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }
      : false,
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
  // Fastify's own request log would write the URL with its query string: a GET /graphql carries
  // the document and variables (a client's name, say) there. This one logs the path only.
  app.addHook('onRequest', async (request) => {
    request.log.info({ method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip }, 'incoming request');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  });
}
