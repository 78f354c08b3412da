// npm run bench:isolation [-- --runs 200]
// The cost of the per-request transaction (restricted role + principal settings + row-level
// security): median latency of `clients(first: 50)` through the HTTP API with it, and through the
// same API reading on the owner connection without it. Uses DATABASE_URL when set, else an
// in-memory PGlite seeded with the demo data.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createTokenVerifier, signToken } from '../src/auth/tokens.js';
import { buildApp } from '../src/server/app.js';
import { startServer } from '../src/server/start.js';

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
const bare = await buildApp({ config, db: server.db, logger, verifier, unscopedForBenchmark: true });
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

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

for (let i = 0; i < 20; i++) {
  await once(server.url);
  await once(bareUrl);
}
const scoped: number[] = [];
const unscoped: number[] = [];
let rows = 0;
for (let i = 0; i < runs; i++) {
  // Alternate, so machine noise falls on both alike.
  const a = await once(server.url);
  scoped.push(a.ms);
  rows = a.rows;
  unscoped.push((await once(bareUrl)).ms);
}
console.log(`database: ${server.db.kind}; clients(first: 50) returning ${rows} rows; ${runs} runs each`);
console.log(`with per-request transaction + RLS : median ${median(scoped).toFixed(2)} ms`);
console.log(`without (owner connection)         : median ${median(unscoped).toFixed(2)} ms`);
console.log(`ratio                              : ${(median(scoped) / median(unscoped)).toFixed(2)}x`);
await bare.close();
await server.close();
