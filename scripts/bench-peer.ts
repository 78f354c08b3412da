// npm run bench:peer [-- --scale 10 --runs 300 --duration 10 --keep-database <name> --skip-pglite]
// This API beside its peers on the same work, in one run, over loopback only and bounded in time:
// a link worker's dashboard (50 prescriptions with client, items, program and partner) on the
// PostgreSQL server's demo data at --scale, served by
//   - the API (`node dist/main.js`, NODE_ENV=production), audit on — the headline, as it is a duty;
//   - the API writing no audit rows (scripts/bench/api-unaudited.mjs), printed beside it;
//   - PostGraphile 5 (Amber preset) over the same database (scripts/bench/postgraphile-server.ts);
//   - one hand-written statement behind a bare node:http server (scripts/bench/raw-server.ts);
// the peers verify the same token and run under the API's role and transaction-local settings.
// Prints latency medians of --runs alternating requests, throughput at 8 and 32 connections
// (autocannon, --duration seconds each), server CPU per request, statements per request (at page
// sizes 10, 50, 100) and RSS after the c=32 run, as ratios against PostGraphile and raw SQL.
// Then the API on the embedded database (PGlite, demo data at scale 1): latency median and
// throughput at c=8 (one connection: throughput is bounded by it; its statements go to the worker thread, not counted).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signToken } from '../src/auth/tokens.js';
import { key, pgliteTarget, postgresTarget, prepare, quantile, startApi, startProcess, urlOf, type Server, type Target } from './bench/support.js';
import { execFileSync } from 'node:child_process';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    runs: { type: 'string', default: '300' },
    duration: { type: 'string', default: '10' },
    'keep-database': { type: 'string' },
    'skip-pglite': { type: 'boolean', default: false },
  },
  strict: true,
});
const scale = Number(values.scale);
const runs = Number(values.runs);
const duration = Number(values.duration);
for (const [flag, value] of Object.entries({ scale, runs, duration }))
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${flag} must be a positive number`);

const counting = ['--import', './scripts/bench/count-statements.mjs'];

/** One way of serving the dashboard: how to start it and the request that asks for a page. */
type Contender = { label: string; server: Server; request(first: number): { path: string; body: string }; count(body: unknown): number };

const apiDashboard = (first: number) => `{ socialPrescriptions(first: ${first}) { edges { node { id status supportLevel needs referredAt
  client { id givenName familyName chartNumber }
  items { id status program { id name partner { name } } } } } } }`;
const peerDashboard = (first: number) => `{ allSocialPrescriptions(first: ${first}, orderBy: [REFERRED_AT_DESC, PRIMARY_KEY_DESC]) { nodes {
  rowId status supportLevel needs referredAt
  clientByTenantIdAndClientId { rowId givenName familyName chartNumber }
  prescriptionItemsByTenantIdAndPrescriptionId { nodes { rowId status programByProgramId { rowId name partnerOrganizationByPartnerId { name } } } } } } }`;
const graphqlRequest = (query: string) => ({ path: '/graphql', body: JSON.stringify({ query }) });
const edges = (body: unknown) => (body as { data: { socialPrescriptions: { edges: unknown[] } } }).data.socialPrescriptions.edges.length;

async function send(contender: Contender, authorization: string, first = 50) {
  const { path, body } = contender.request(first);
  const response = await fetch(`${contender.server.url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { errors?: unknown };
  if (response.status !== 200 || json.errors) throw new Error(`${contender.label}: ${response.status} ${JSON.stringify(json.errors)}`);
  return contender.count(json);
}

async function load(contender: Contender, authorization: string, connections: number) {
  const { path, body } = contender.request(50);
  const cpuBefore = contender.server.cpuMs();
  const result = await autocannon({
    url: `${contender.server.url}${path}`,
    method: 'POST',
    connections,
    duration,
    headers: { authorization, 'content-type': 'application/json' },
    body,
    verifyBody: (text) => !text.includes('"errors"'),
  });
  const failed = result.non2xx + result.mismatches + result.errors + result.timeouts;
  if (failed > 0) console.warn(`  ${contender.label}, c=${connections}: ${failed} failed answers`);
  return {
    perSecond: result.requests.total / duration,
    p99: result.latency.p99,
    cpuPerRequest: (contender.server.cpuMs() - cpuBefore) / Math.max(1, result.requests.total),
    rss: contender.server.rssMb(),
  };
}

async function statementsPerRequest(contender: Contender, authorization: string, first: number) {
  const before = await contender.server.statements();
  for (let i = 0; i < 10; i++) await send(contender, authorization, first);
  return ((await contender.server.statements()) - before) / 10;
}

function table(rows: [string, ...string[]][]) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log('  ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

async function onPostgres() {
  const name = values['keep-database'] ?? 'rx_bench_peer';
  const target = await postgresTarget(name, { keep: values['keep-database'] !== undefined });
  const servers: Server[] = [];
  try {
    const { tenant } = await prepare(target, scale);
    const peerEnv = { PEER_DATABASE_URL: urlOf(name) };
    const contenders: Contender[] = [];
    const api = await startApi(target, { args: [...counting, 'dist/main.js'] });
    servers.push(api);
    contenders.push({ label: 'this API', server: api, request: (first) => graphqlRequest(apiDashboard(first)), count: edges });
    const unaudited = await startApi(target, { args: [...counting, 'scripts/bench/api-unaudited.mjs'], name: 'the API, unaudited' });
    servers.push(unaudited);
    contenders.push({ label: 'this API, no audit', server: unaudited, request: (first) => graphqlRequest(apiDashboard(first)), count: edges });
    const postgraphile = await startProcess('PostGraphile', [...counting, '--import', 'tsx', 'scripts/bench/postgraphile-server.ts'], peerEnv);
    servers.push(postgraphile);
    contenders.push({
      label: 'PostGraphile 5',
      server: postgraphile,
      request: (first) => graphqlRequest(peerDashboard(first)),
      count: (body) => (body as { data: { allSocialPrescriptions: { nodes: unknown[] } } }).data.allSocialPrescriptions.nodes.length,
    });
    const raw = await startProcess('raw SQL', [...counting, '--import', 'tsx', 'scripts/bench/raw-server.ts'], peerEnv);
    servers.push(raw);
    contenders.push({ label: 'raw SQL over HTTP', server: raw, request: (first) => ({ path: `/graphql?first=${first}`, body: '{}' }), count: edges });

    const authorization = `Bearer ${await signToken(key, { tenant, roles: ['LINK_WORKER'] })}`;
    for (const contender of contenders) {
      const found = await send(contender, authorization);
      if (found !== 50) throw new Error(`${contender.label} answered ${found} prescriptions, not 50`);
      for (let i = 0; i < 30; i++) await send(contender, authorization);
    }

    console.log(`\n${tenant}'s link worker's dashboard, 50 prescriptions, on PostgreSQL (demo data at scale ${scale})`);
    const latencies = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
    for (let i = 0; i < runs; i++)
      for (const contender of contenders) {
        const started = performance.now();
        await send(contender, authorization);
        latencies.get(contender)!.push(performance.now() - started);
      }
    const figures = new Map<Contender, Record<string, number>>();
    for (const contender of contenders) {
      // Counted while nothing else runs: a load run's last requests may still be in flight after it.
      const statements: Record<string, number> = {};
      for (const first of [10, 50, 100]) statements[`statements${first}`] = await statementsPerRequest(contender, authorization, first);
      const c8 = await load(contender, authorization, 8);
      const c32 = await load(contender, authorization, 32);
      figures.set(contender, {
        latency: quantile(latencies.get(contender)!, 0.5),
        c8: c8.perSecond,
        c32: c32.perSecond,
        p99: c32.p99,
        cpu: c8.cpuPerRequest,
        rss: c32.rss,
        ...statements,
      });
    }
    const [ours, , peer, floor] = contenders.map((c) => figures.get(c)!);
    const rows: [string, ...string[]][] = [['', ...contenders.map((c) => c.label), 'API / PostGraphile', 'API / raw SQL']];
    const line = (label: string, field: string, format: (n: number) => string) =>
      rows.push([
        label,
        ...contenders.map((c) => format(figures.get(c)![field]!)),
        `${(ours![field]! / peer![field]!).toFixed(2)}x`,
        `${(ours![field]! / floor![field]!).toFixed(2)}x`,
      ]);
    line(`latency, median of ${runs} alternating runs`, 'latency', (n) => `${n.toFixed(1)} ms`);
    line('throughput, c=8', 'c8', (n) => `${n.toFixed(0)} req/s`);
    line('throughput, c=32', 'c32', (n) => `${n.toFixed(0)} req/s`);
    line('p99 latency, c=32', 'p99', (n) => `${n.toFixed(0)} ms`);
    line('server CPU per request (c=8)', 'cpu', (n) => `${n.toFixed(2)} ms`);
    for (const first of [10, 50, 100]) line(`SQL statements per request, first: ${first}`, `statements${first}`, (n) => n.toFixed(1));
    line('RSS after the c=32 run', 'rss', (n) => `${n.toFixed(0)} MB`);
    table(rows);
    const [c8, c32] = [ours!.c8!, ours!.c32!];
    console.log(
      `\n  targets: statements (first 10/50/100) ≤ 5: ${[10, 50, 100].map((f) => ours![`statements${f}`]).join('/')}; CPU ≤ 1.5x PostGraphile: ${(ours!.cpu! / peer!.cpu!).toFixed(2)}x;` +
        ` c=32 ≥ 0.7x PostGraphile: ${(c32 / peer!.c32!).toFixed(2)}x, and ≥ c=8 (${c32.toFixed(0)} vs ${c8.toFixed(0)}); RSS ≤ 250 MB: ${ours!.rss!.toFixed(0)} MB`,
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await target.drop();
  }
}

async function onPglite(target: Target) {
  try {
    const { tenant } = await prepare(target, 1);
    const server = await startApi(target, { args: [...counting, 'dist/main.js'] });
    try {
      const contender: Contender = { label: 'this API on PGlite', server, request: (first) => graphqlRequest(apiDashboard(first)), count: edges };
      const authorization = `Bearer ${await signToken(key, { tenant, roles: ['LINK_WORKER'] })}`;
      for (let i = 0; i < 30; i++) await send(contender, authorization);
      const latencies: number[] = [];
      for (let i = 0; i < Math.min(runs, 100); i++) {
        const started = performance.now();
        await send(contender, authorization);
        latencies.push(performance.now() - started);
      }
      const c8 = await load(contender, authorization, 8);
      console.log(`\n${tenant}'s dashboard on the embedded database (PGlite, demo data at scale 1; one connection)`);
      table([
        ['latency, median', `${quantile(latencies, 0.5).toFixed(1)} ms`],
        ['throughput, c=8', `${c8.perSecond.toFixed(0)} req/s`],
        ['server CPU per request (c=8)', `${c8.cpuPerRequest.toFixed(2)} ms`],
      ]);
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
await onPostgres();
if (!values['skip-pglite']) await onPglite(await pgliteTarget());
