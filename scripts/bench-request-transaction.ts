// npm run bench:isolation [-- --runs 200]
// What isolation and auditing cost: median latency of `clients(first: 50)` with names and
// sociodemographics through the HTTP API, three ways:
//   full      — per-request transaction as rx_app, row-level security, audit rows (what serves);
//   unaudited — the same without writing audit rows;
//   unscoped  — the owner connection: no transaction, no row-level security, no audit.
// Uses DATABASE_URL when set, else an in-memory PGlite with the demo data.
import { parseArgs } from 'node:util';
import type { ApolloServerPlugin } from '@apollo/server';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createTokenVerifier, signToken } from '../src/auth/tokens.js';
import { buildApp } from '../src/server/app.js';
import { startServer } from '../src/server/start.js';
import type { GraphQLContext } from '../src/graphql/context.js';
import { PrivacyRecorder } from '../src/privacy/recorder.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
const secret = 'benchmark-secret-benchmark-secret-0123456789';
const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  JWT_SECRET: secret,
  ...(process.env.DATABASE_URL ? {} : { PGLITE_DIR: 'memory://' }),
});
const logger = pino({ level: 'silent' });
const server = await startServer(config, logger, { seedAnyDatabase: true });
const key = new TextEncoder().encode(secret);
const verifier = createTokenVerifier({ kind: 'secret', secret: key }, { knownTenant: async () => true, knownPartner: async () => true });

/** The same lock-box checks, no audit rows. */
class UnauditedRecorder extends PrivacyRecorder {
  override record() {}
}
/** The owner connection for every request: no transaction, no row-level security (and no limits, no audit). */
const ownerConnection: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue }) {
        contextValue.db = server.db.prisma;
      },
    };
  },
};
const baselines = {
  unaudited: await buildApp({ config, db: server.db, logger, verifier, recorder: (...args) => new UnauditedRecorder(...args) }),
  unscoped: await buildApp({ config, db: server.db, logger, verifier, recorder: (...args) => new UnauditedRecorder(...args), requestScope: ownerConnection }),
};
const urls = {
  full: server.url,
  unaudited: await baselines.unaudited.listen({ port: 0, host: '127.0.0.1' }),
  unscoped: await baselines.unscoped.listen({ port: 0, host: '127.0.0.1' }),
};

const authorization = `Bearer ${await signToken(key, { tenant: 'guelph', roles: ['LINK_WORKER'] })}`;
const query = JSON.stringify({
  query: '{ clients(first: 50) { edges { node { id chartNumber givenName familyName dateOfBirth preferredLanguage ageBand } } } }',
});
async function once(url: string) {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: query });
  const body = (await response.json()) as { errors?: unknown; data?: { clients: { edges: unknown[] } } };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - started, rows: body.data!.clients.edges.length };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const times: Record<keyof typeof urls, number[]> = { full: [], unaudited: [], unscoped: [] };
let rows = 0;
for (let i = 0; i < runs + 20; i++) {
  // Interleaved, so machine noise falls on all three alike; the first 20 rounds warm up.
  for (const variant of Object.keys(urls) as (keyof typeof urls)[]) {
    const result = await once(urls[variant]);
    rows = result.rows;
    if (i >= 20) times[variant].push(result.ms);
  }
}
const [full, unaudited, unscoped] = [median(times.full), median(times.unaudited), median(times.unscoped)];
console.log(`database: ${server.db.kind}; clients(first: 50) returning ${rows} rows; ${runs} runs each`);
console.log(`full (transaction + RLS + audit) : ${full.toFixed(2)} ms`);
console.log(`without audit rows               : ${unaudited.toFixed(2)} ms   audit overhead ${(full / unaudited).toFixed(2)}x`);
console.log(
  `owner connection, no transaction : ${unscoped.toFixed(2)} ms   transaction + RLS ${(unaudited / unscoped).toFixed(2)}x, all ${(full / unscoped).toFixed(2)}x`,
);
await baselines.unaudited.close();
await baselines.unscoped.close();
await server.close();
