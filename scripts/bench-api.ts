// npm run bench:api [-- --scale 10] [--runs 100] [--reuse] [--keep]
// A link worker's dashboard — their site's 50 most recent prescriptions with client, items and
// programs — through the HTTP API, against the same rows read with one hand-written SQL statement
// through pg. Both run inside a transaction as the request role with the principal's settings,
// so row-level security applies to both and the ratio is the API's own cost. Uses the PostgreSQL
// server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rx_bench): creates the
// database (or reuses it, with --reuse), migrates, seeds the demo data at --scale, and drops it
// afterwards unless --keep.
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { signToken } from '../src/auth/tokens.js';
import { principalSettingsSql, requestRole } from '../src/db/principal-settings.js';
import { seedDemoData } from '../src/seed/demo-data.js';
import { startServer } from '../src/server/start.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    runs: { type: 'string', default: '100' },
    reuse: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const scale = Number(values.scale);
const runs = Number(values.runs);
if (!(scale > 0) || !(runs > 0)) throw new Error('--scale and --runs must be positive numbers');
const warmUp = 20;

const databaseUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rx_bench');
const databaseName = decodeURIComponent(databaseUrl.pathname.slice(1));
const serverUrl = new URL(databaseUrl);
serverUrl.pathname = '/postgres';

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const exists = (await onServer(`SELECT 1 FROM pg_database WHERE datname = '${databaseName.replaceAll("'", "''")}'`)).rowCount! > 0;
if (exists && !values.reuse) throw new Error(`database ${databaseName} exists: pass --reuse to use it, or drop it`);
if (!exists) await onServer(`CREATE DATABASE "${databaseName}"`);

const secret = 'benchmark-secret-benchmark-secret-0123456789';
const config = loadConfig({
  ...process.env,
  DATABASE_URL: databaseUrl.toString(),
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  SEED_ON_EMPTY: 'false',
  JWT_SECRET: secret,
});
let statements = 0;
const server = await startServer(config, pino({ level: 'silent' }), { onQuery: () => statements++ });
const sql = new pg.Pool({ connectionString: databaseUrl.toString(), max: 2 });
try {
  const owner = server.db.prisma;
  if ((await owner.client.count()) === 0) {
    const started = performance.now();
    const summary = await seedDemoData(owner, { scale });
    console.log(
      `seeded scale ${scale} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${summary.clients} clients, ${summary.socialPrescriptions} prescriptions`,
    );
  } else {
    console.log(`reusing ${databaseName}: ${await owner.client.count()} clients, ${await owner.socialPrescription.count()} prescriptions (--scale ignored)`);
  }
  await sql.query('ANALYZE');

  const [busiest] = await owner.socialPrescription.groupBy({ by: ['tenantId'], _count: { _all: true }, orderBy: { _count: { id: 'desc' } }, take: 1 });
  const tenant = busiest!.tenantId;
  const authorization = `Bearer ${await signToken(new TextEncoder().encode(secret), { tenant, roles: ['LINK_WORKER'] })}`;
  const body = JSON.stringify({
    query: `{ socialPrescriptions(first: 50) { edges { node { id status supportLevel needs referredAt
      client { id givenName familyName chartNumber }
      items { id status program { id name partner { name } } } } } } }`,
  });

  const [settings, ...settingsParams] = principalSettingsSql({ kind: 'STAFF', subject: `${tenant}.link_worker.1`, tenantId: tenant, roles: ['LINK_WORKER'] });
  // The same rows as the API returns, in one statement: the page by the (tenantId, referredAt)
  // index, each prescription's items, programs and partners as JSON.
  const dashboardSql = `
    SELECT p.id, p.status, p."supportLevel", p.needs, p."referredAt",
           json_build_object('id', c.id, 'givenName', c."givenName", 'familyName', c."familyName", 'chartNumber', c."chartNumber") AS client,
           coalesce((SELECT json_agg(json_build_object('id', i.id, 'status', i.status,
                       'program', CASE WHEN pr.id IS NOT NULL THEN json_build_object('id', pr.id, 'name', pr.name,
                                  'partner', CASE WHEN po.id IS NOT NULL THEN json_build_object('name', po.name) END) END)
                       ORDER BY i."createdAt", i.id)
                     FROM "PrescriptionItem" i
                     LEFT JOIN "Program" pr ON pr.id = i."programId"
                     LEFT JOIN "PartnerOrganization" po ON po.id = pr."partnerId"
                     WHERE i."tenantId" = p."tenantId" AND i."prescriptionId" = p.id), '[]') AS items
    FROM "SocialPrescription" p
    JOIN "Client" c ON c."tenantId" = p."tenantId" AND c.id = p."clientId"
    WHERE p."tenantId" = $1
    ORDER BY p."referredAt" DESC, p.id DESC
    LIMIT 50`;

  async function throughApi() {
    const started = performance.now();
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
    const result = (await response.json()) as { errors?: unknown; data?: { socialPrescriptions: { edges: { node: { id: string } }[] } } };
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return {
      ms: performance.now() - started,
      ids: result.data!.socialPrescriptions.edges.map((e) => Buffer.from(e.node.id, 'base64').toString().split(':')[1]),
    };
  }
  async function throughSql() {
    const started = performance.now();
    const client = await sql.connect();
    try {
      await client.query('BEGIN');
      await client.query(settings, settingsParams);
      const { rows } = await client.query<{ id: string }>(dashboardSql, [tenant]);
      await client.query('COMMIT');
      return { ms: performance.now() - started, ids: rows.map((row) => row.id) };
    } finally {
      client.release();
    }
  }

  const api = await throughApi();
  const direct = await throughSql();
  if (api.ids.length !== 50 || api.ids.join() !== direct.ids.join()) throw new Error('the API and the SQL return different prescriptions');
  statements = 0;
  await throughApi();
  const perRequest = statements;

  for (let i = 0; i < warmUp; i++) {
    await throughApi();
    await throughSql();
  }
  const apiMs: number[] = [];
  const sqlMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate, so machine noise falls on both alike.
    apiMs.push((await throughApi()).ms);
    sqlMs.push((await throughSql()).ms);
  }
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  const prescriptions = await owner.socialPrescription.count({ where: { tenantId: tenant } });
  console.log(`dashboard of a ${tenant} link worker (${prescriptions} prescriptions at the site): 50 prescriptions with client, items, programs, partners`);
  console.log(`${runs} runs each after ${warmUp} warm-up; both inside a transaction as ${requestRole} with the principal's settings (row-level security on)`);
  const lines: [string, number[] | string][] = [
    [`API (HTTP + GraphQL + Prisma, ${perRequest} statements)`, apiMs],
    ['hand-written SQL through pg (4 statements)', sqlMs],
    ['ratio of medians', `${(quantile(apiMs, 0.5) / quantile(sqlMs, 0.5)).toFixed(2)}x`],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) {
    const figures = typeof value === 'string' ? value : `median ${quantile(value, 0.5).toFixed(2)} ms, p95 ${quantile(value, 0.95).toFixed(2)} ms`;
    console.log(`${label.padEnd(width)} : ${figures}`);
  }
} finally {
  await sql.end();
  await server.close();
  if (!values.keep) {
    await onServer(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    console.log(`dropped ${databaseName}`);
  } else console.log(`kept ${databaseName}`);
}
