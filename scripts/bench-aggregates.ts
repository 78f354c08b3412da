// npm run bench:aggregates [-- --prescriptions 1000000 --sites 100 --runs 11 --keep]
// Cross-site aggregates at network scale, on the PostgreSQL server (DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres). Seeds a synthetic network with generate_series in
// a database of its own, once at the given size and once at a tenth of it, then prints for
// networkSummary and the site × need breakdown: the median time through the HTTP API (token,
// request transaction, SQL function with cell keys, perturbation) and the median time of the same SQL statement
// run directly on the owner connection, and their ratio. --keep leaves the databases for a rerun.
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { startServer } from '../src/server/start.js';
import { syncTenants } from '../src/tenants/tenant-files.js';

const { values } = parseArgs({
  options: {
    prescriptions: { type: 'string', default: '1000000' },
    sites: { type: 'string', default: '100' },
    runs: { type: 'string', default: '11' },
    keep: { type: 'boolean', default: false },
  },
});
const prescriptions = Number(values.prescriptions);
const sites = Number(values.sites);
const runs = Number(values.runs);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const secret = 'benchmark-secret-benchmark-secret-0123456789';
const period = { from: '2018-01-01', to: '2020-12-31' };

const urlOf = (database: string) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The synthetic network: sites (the pilot's and more), staff, clients and their consents, programs, prescriptions, items. */
async function seed(url: string, count: number) {
  const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  await db.migrate();
  await syncTenants(db.prisma, config.tenantsDir);
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const clients = Math.max(1, Math.round(count / 3));
  const steps = [
    `SELECT setseed(0.42)`,
    `INSERT INTO "Tenant" (id, name, "regionKind", languages, city, "pilotStart", "updatedAt")
       SELECT 'bench-' || lpad(i::text, 4, '0'), 'Benchmark site ' || i, 'URBAN', ARRAY['en'], 'Bench', '2018-09-01', now()
         FROM generate_series((SELECT count(*) FROM "Tenant") + 1, ${sites}) i`,
    `CREATE TEMP TABLE site AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM "Tenant"`,
    `INSERT INTO "StaffMember" (id, "tenantId", subject, "displayName", roles, "updatedAt")
       SELECT md5('staff' || s.id || j)::uuid::text, s.id, 'bench.' || s.id || '.' || j, 'Prescriber ' || j, ARRAY['PRESCRIBER']::"StaffRole"[], now()
         FROM site s, generate_series(0, 19) j`,
    `INSERT INTO "Program" (id, "tenantId", name, "runBy", needs, "updatedAt")
       SELECT md5('program' || s.id || j)::uuid::text, s.id, 'Program ' || j, 'SITE', ARRAY[(enum_range(NULL::"Need"))[1 + j % 16]], now()
         FROM site s, generate_series(0, 9) j`,
    `INSERT INTO "HealthChampion" (id, "tenantId", "displayName", since, "updatedAt")
       SELECT md5('champion' || s.id || j)::uuid::text, s.id, 'Champion ' || j, '2018-09-01', now() FROM site s, generate_series(0, 4) j`,
    `INSERT INTO "Client" (id, "tenantId", "chartNumber", "givenName", "familyName", "ageBand", "genderIdentity", "preferredLanguage", "incomeBand", "livesAlone", "updatedAt")
       SELECT md5('client' || i)::uuid::text, s.id, 'B' || i, 'Given', 'Family',
              (enum_range(NULL::"AgeBand"))[1 + floor(random() * 9)::int], (enum_range(NULL::"GenderIdentity"))[1 + floor(random() * 8)::int],
              (ARRAY['en', 'fr', 'ar', 'zh', 'pa', 'es'])[1 + floor(random() * 6)::int], (enum_range(NULL::"IncomeBand"))[1 + floor(random() * 6)::int],
              (enum_range(NULL::"Answer"))[1 + floor(random() * 3)::int], now()
         FROM generate_series(0, ${clients - 1}) i JOIN site s ON s.n = i % ${sites}`,
    // Most consent to evaluation; some later withdraw.
    `INSERT INTO "ClientConsent" (id, "tenantId", "clientId", kind, status, "recordedAt")
       SELECT md5('consent' || c.id)::uuid::text, c."tenantId", c.id, 'EVALUATION_USE', 'GRANTED', '2018-08-01' FROM "Client" c WHERE random() < 0.92`,
    `INSERT INTO "ClientConsent" (id, "tenantId", "clientId", kind, status, "recordedAt")
       SELECT md5('withdrawal' || c.id)::uuid::text, c."tenantId", c."clientId", 'EVALUATION_USE', 'WITHDRAWN', '2019-06-01' FROM "ClientConsent" c WHERE random() < 0.05`,
    `INSERT INTO "SocialPrescription" (id, "tenantId", "clientId", "prescriberId", needs, "supportLevel", status, outcome, source, "referredAt", "updatedAt")
       SELECT md5('prescription' || i)::uuid::text, s.id, md5('client' || (i % ${clients}))::uuid::text, md5('staff' || s.id || floor(random() * 20)::int)::uuid::text,
              CASE WHEN random() < 0.5 THEN ARRAY[(enum_range(NULL::"Need"))[1 + n1]]
                   ELSE ARRAY[(enum_range(NULL::"Need"))[1 + n1], (enum_range(NULL::"Need"))[1 + (n1 + 1 + floor(random() * 15)::int) % 16]] END,
              (enum_range(NULL::"SupportLevel"))[1 + floor(random() * 4)::int], st,
              CASE WHEN st IN ('COMPLETED', 'FAILED') THEN (enum_range(NULL::"ReferralOutcome"))[1 + floor(random() * 6)::int] END,
              CASE WHEN random() < 0.05 THEN 'PARTNER'::"ReferralSource" ELSE 'SITE' END,
              timestamp '2018-09-01' + random() * interval '730 days', now()
         FROM (SELECT i, floor(random() * 16)::int AS n1,
                      (enum_range(NULL::"ReferralStatus"))[1 + floor(random() * 10)::int] AS st FROM generate_series(0, ${count - 1}) i) g
         JOIN site s ON s.n = (i % ${clients}) % ${sites}`,
    `INSERT INTO "PrescriptionItem" (id, "tenantId", "prescriptionId", "programId", "updatedAt")
       SELECT md5('item' || p.id)::uuid::text, p."tenantId", p.id, md5('program' || p."tenantId" || floor(random() * 10)::int)::uuid::text, now()
         FROM "SocialPrescription" p WHERE random() < 0.6`,
    `ANALYZE`,
  ];
  for (const sql of steps) await client.query(sql);
  await client.end();
}

/** The database of one size, seeded unless a kept one is there already. */
async function database(count: number) {
  const name = `rx_bench_aggregates_${sites}_${count}`;
  const exists = (await onServer(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rowCount === 1;
  if (!exists) {
    await onServer(`CREATE DATABASE "${name}"`);
    const started = performance.now();
    await seed(urlOf(name), count);
    console.log(`seeded ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return name;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(11);

async function measure(count: number) {
  const name = await database(count);
  const url = urlOf(name);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    JWT_SECRET: secret,
    SEED_ON_EMPTY: 'false',
  });
  const server = await startServer(config, pino({ level: 'silent' }));
  const direct = new pg.Client({ connectionString: url });
  await direct.connect();
  const authorization = `Bearer ${await signToken(new TextEncoder().encode(secret), { network: ['ALLIANCE_ANALYST'] })}`;
  const scope = (await direct.query<{ ids: string[] }>(`SELECT array_agg(id ORDER BY id) AS ids FROM "Tenant"`)).rows[0]!.ids;
  const cell = '{ keys value suppressed reason }';
  const cases = [
    {
      name: 'networkSummary',
      graphql: `query($f: AggregateFilter!) { networkSummary(filter: $f) { sites providers ${cell} prescriptions ${cell} clients ${cell} healthChampions ${cell} programs ${cell}
                  bySite { site { slug name } providers ${cell} prescriptions ${cell} clients ${cell} healthChampions ${cell} programs ${cell} } } }`,
      sql: (await direct.query<{ sql: string }>(`SELECT agg_summary_sql() AS sql`)).rows[0]!.sql,
    },
    {
      name: 'site × need breakdown',
      graphql: `query($f: AggregateFilter!) { prescriptionBreakdown(filter: $f, by: [SITE, NEED]) { totalPrescriptions ${cell} prescriptions ${cell} clients ${cell} } }`,
      sql: (await direct.query<{ sql: string }>(`SELECT agg_prescriptions_sql(ARRAY['SITE', 'NEED']) AS sql`)).rows[0]!.sql,
    },
  ];
  const viaApi = async (query: string) => {
    const started = performance.now();
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { f: period } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return performance.now() - started;
  };
  const viaSql = async (sql: string) => {
    const started = performance.now();
    await direct.query(sql, [scope, period.from, period.to]);
    return performance.now() - started;
  };
  const results = [];
  for (const c of cases) {
    await viaApi(c.graphql);
    await viaSql(c.sql);
    const api: number[] = [];
    const sql: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate, so machine noise falls on both alike.
      api.push(await viaApi(c.graphql));
      sql.push(await viaSql(c.sql));
    }
    results.push({ name: c.name, api: median(api), sql: median(sql) });
  }
  await direct.end();
  await server.close();
  if (!values.keep) await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return results;
}

const full = await measure(prescriptions);
const tenth = await measure(Math.round(prescriptions / 10));
const print = (label: string, results: typeof full) => {
  console.log(`\n${label}`);
  console.log(`${'query'.padEnd(24)}${'API'.padStart(11)}${'direct SQL'.padStart(13)}${'ratio'.padStart(8)}`);
  for (const r of results) console.log(`${r.name.padEnd(24)}${ms(r.api)}  ${ms(r.sql)}${`${(r.api / r.sql).toFixed(2)}x`.padStart(8)}`);
};
console.log(`\n${sites} sites; medians of ${runs} runs; period ${period.from} to ${period.to}`);
print(`${prescriptions.toLocaleString('en')} prescriptions`, full);
print(`${Math.round(prescriptions / 10).toLocaleString('en')} prescriptions (one tenth)`, tenth);
console.log('\ngrowth for 10 times the data (full / tenth)');
full.forEach((r, i) => console.log(`${r.name.padEnd(24)}API ${(r.api / tenth[i]!.api).toFixed(1)}x   direct SQL ${(r.sql / tenth[i]!.sql).toFixed(1)}x`));
