// npm run bench:load [-- --duration 60 --connections 32 --scale 10 --contention 20 --copies 100 --skip-load --skip-contention]
// The API as a separate process (`node --import tsx src/main.ts`, or dist/main.js with --built),
// loaded over loopback only and for a bounded time:
// 1. Load, on the PostgreSQL server: autocannon sends a link worker's dashboard (50 prescriptions
//    with client, items, programs) on --connections connections for --duration seconds, against
//    the demo data at --scale. Prints throughput, latency p50/p99, errors (non-2xx answers, and
//    answers carrying GraphQL errors) and the server's RSS before and after.
// 2. Contention, on the embedded database (PGlite) and on the PostgreSQL server alike (demo data
//    at scale 1, its site-made prescriptions copied --copies times): the latency of cheap requests
//    (`{ viewer { kind } }`, GET /healthz) idle, then while an Alliance analyst's networkSummary
//    over every site runs back to back for --contention seconds; the ratios side by side.
// The PostgreSQL server is BENCH_DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/postgres);
// the databases are created here and dropped afterwards, the PGlite folder lives in a temporary directory.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signToken } from '../src/auth/tokens.js';
import { key, pgliteTarget, postgresTarget, prepare, quantile, sleep, startApi, timed, type Target } from './bench/support.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '32' },
    scale: { type: 'string', default: '10' },
    contention: { type: 'string', default: '20' },
    copies: { type: 'string', default: '100' },
    built: { type: 'boolean', default: false },
    'skip-load': { type: 'boolean', default: false },
    'skip-contention': { type: 'boolean', default: false },
  },
  strict: true,
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const scale = Number(values.scale);
const contentionSeconds = Number(values.contention);
const copies = Number(values.copies);
for (const [flag, value] of Object.entries({ duration, connections, scale, contention: contentionSeconds, copies }))
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${flag} must be a positive number`);

const figures = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
const dashboard = `{ socialPrescriptions(first: 50) { edges { node { id status supportLevel needs referredAt
  client { id givenName familyName chartNumber }
  items { id status program { id name partner { name } } } } } } }`;

async function post(url: string, authorization: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (response.status !== 200 || body.errors) throw new Error(`${response.status} ${JSON.stringify(body.errors)}`);
}

async function load() {
  const target = await postgresTarget('rx_bench_load');
  try {
    const { tenant } = await prepare(target, scale);
    const server = await startApi(target, { built: values.built });
    try {
      const authorization = `Bearer ${await signToken(key, { tenant, roles: ['LINK_WORKER'] })}`;
      for (let i = 0; i < 20; i++) await post(server.url, authorization, dashboard);
      const rssBefore = server.rssMb();
      console.log(
        `\nload: a ${tenant} link worker's dashboard, ${connections} connections, ${duration} s, on PostgreSQL (API: ${values.built ? 'dist/main.js' : 'tsx src/main.ts'}, NODE_ENV=production)`,
      );
      const result = await autocannon({
        url: `${server.url}/graphql`,
        method: 'POST',
        connections,
        duration,
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ query: dashboard }),
        verifyBody: (body) => !body.includes('"errors"'),
      });
      const rows: [string, string][] = [
        ['requests', `${result.requests.total} (${result.requests.average.toFixed(1)} per second)`],
        ['latency', `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`],
        [
          'non-2xx answers',
          `${result.non2xx} (${Object.entries(result.statusCodeStats)
            .map(([status, { count }]) => `${status}: ${count}`)
            .join(', ')})`,
        ],
        ['answers with GraphQL errors', String(result.mismatches)],
        ['connection errors / timeouts', `${result.errors} / ${result.timeouts}`],
        ['server RSS', `${rssBefore.toFixed(0)} MB before, ${server.rssMb().toFixed(0)} MB after`],
      ];
      for (const [label, value] of rows) console.log(`  ${label.padEnd(29)}: ${value}`);
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

type Contention = { kind: string; expensive: number[]; idle: Record<string, number[]>; busy: Record<string, number[]> };

async function contention(target: Target): Promise<Contention> {
  try {
    const { tenant } = await prepare(target, 1, copies);
    const server = await startApi(target, { built: values.built });
    try {
      const staff = `Bearer ${await signToken(key, { tenant, roles: ['LINK_WORKER'] })}`;
      const analyst = `Bearer ${await signToken(key, { network: ['ALLIANCE_ANALYST'] })}`;
      const expensiveQuery = `{ networkSummary(filter: { from: "2015-01-01", to: "2029-12-31" }) { prescriptions { value } clients { value } bySite { prescriptions { value } } } }`;
      const cheap: Record<string, () => Promise<unknown>> = {
        '{ viewer { kind } }': () => post(server.url, staff, '{ viewer { kind } }'),
        'GET /healthz': async () => {
          const response = await fetch(`${server.url}/healthz`);
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
        },
      };
      const expensive: number[] = [];
      for (let i = 0; i < 3; i++) expensive.push(await timed(() => post(server.url, analyst, expensiveQuery)));
      const idle: Record<string, number[]> = {};
      const busy: Record<string, number[]> = {};
      for (const [name, request] of Object.entries(cheap)) {
        idle[name] = [];
        busy[name] = [];
        for (let i = 0; i < 20; i++) idle[name].push(await timed(request));
      }
      // Expensive requests back to back; the cheap ones sampled in turn, 50 ms apart, meanwhile.
      let running = true;
      const background = (async () => {
        while (running) expensive.push(await timed(() => post(server.url, analyst, expensiveQuery)));
      })();
      background.catch(() => {}); // awaited below
      await sleep(200);
      const until = performance.now() + contentionSeconds * 1000;
      while (performance.now() < until)
        for (const [name, request] of Object.entries(cheap)) {
          busy[name]!.push(await timed(request));
          await sleep(50);
        }
      running = false;
      await background;
      return { kind: target.kind, expensive, idle, busy };
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

if (!values['skip-load']) await load();
if (!values['skip-contention']) {
  const results = [await contention(await pgliteTarget()), await contention(await postgresTarget('rx_bench_contention'))];
  console.log(`\ncheap requests while an Alliance analyst's networkSummary over every site runs back to back (${contentionSeconds} s each)`);
  for (const result of results) console.log(`  ${result.kind.padEnd(8)}: networkSummary ${figures(result.expensive)} (${result.expensive.length} runs)`);
  for (const name of Object.keys(results[0]!.idle)) {
    console.log(`  ${name}`);
    for (const result of results) {
      const ratio = quantile(result.busy[name]!, 0.5) / quantile(result.idle[name]!, 0.5);
      console.log(`    ${result.kind.padEnd(8)}: idle ${figures(result.idle[name]!)}; busy ${figures(result.busy[name]!)}; p50 ratio ${ratio.toFixed(1)}x`);
    }
  }
  const [a, b] = results;
  console.log(
    '  side by side, busy p50 / idle p50: ' +
      Object.keys(a!.idle)
        .map(
          (name) =>
            `${name} ${a!.kind} ${(quantile(a!.busy[name]!, 0.5) / quantile(a!.idle[name]!, 0.5)).toFixed(1)}x vs ${b!.kind} ${(quantile(b!.busy[name]!, 0.5) / quantile(b!.idle[name]!, 0.5)).toFixed(1)}x`,
        )
        .join('; '),
  );
}
