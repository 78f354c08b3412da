// Onboarding a site on a running server, as an operator would: the server process (src/main.ts)
// reloads the site files on SIGHUP, a 12th site then signs in and has its launch plan; a reload
// with bad files keeps the sites as they were and logs every problem; site file problems at
// start-up are one plain message; and nothing else opens the embedded database folder the server holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { graphql } from './support/server.js';
import { gql } from './support/graphql.js';
import { network, staff, tokenEnv } from './support/tokens.js';

type Spawned = { child: ChildProcess; logs: string[]; exit: Promise<number | null> };

function run(script: string, env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...tokenEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_ON_EMPTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => logs.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logs, exit };
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, logs: string[], timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const newSite = {
  id: 'sudbury',
  name: 'Centre de santé communautaire du Grand Sudbury',
  regionKind: 'NORTHERN',
  languages: ['fr', 'en'],
  city: 'Sudbury',
  pilotStart: '2026-01-05',
};

describe('onboarding a site on a running server', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let tenantsDir: string;
  let testDb: TestDatabase;
  let server: Spawned & { url: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rx-reload-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    tenantsDir = path.join(dir, 'tenants');
    await mkdir(tenantsDir);
    for (const file of (await readdir('tenants')).filter((f) => f.endsWith('.json'))) await copyFile(path.join('tenants', file), path.join(tenantsDir, file));
    testDb = await createTestDatabase({ TENANTS_DIR: tenantsDir }, { copyOf: inject('seededDatabase') });
    cleanups.push(() => testDb.drop());
    env = {
      TENANTS_DIR: tenantsDir,
      DATA_DIR: dir,
      ...(testDb.config.databaseUrl ? { DATABASE_URL: testDb.config.databaseUrl } : { DATABASE_URL: '', PGLITE_DIR: testDb.config.pgliteDir }),
    };
    const spawned = run('src/main.ts', env);
    const url = await until(
      'the server to be ready',
      async () => {
        const line = spawned.logs.find((l) => l.includes('Rx: Community API ready'));
        if (line) return (JSON.parse(line) as { url: string }).url;
        const code = await Promise.race([spawned.exit, new Promise((resolve) => setTimeout(() => resolve('running'), 10))]);
        if (code !== 'running') throw new Error(`server exited ${String(code)}:\n${spawned.logs.join('\n')}`);
        return undefined;
      },
      spawned.logs,
      180_000,
    );
    server = { ...spawned, url };
  }, 240_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exit;
    }
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const siteSlugs = async () => {
    const result = await graphql<{ tenants: { slug: string }[] }>(server, '{ tenants { slug } }', {}, await network('ALLIANCE_ANALYST'));
    return result.data!.tenants.map((t) => t.slug);
  };
  const reloads = () => server.logs.filter((l) => l.includes('site files reloaded') || l.includes('site files not reloaded'));

  it('SIGHUP adds a 12th site: it signs in at once and has its launch plan, not started', async () => {
    expect(await siteSlugs()).toHaveLength(11);
    const refused = await graphql(server, gql('{ viewer { tenant } }'), {}, await staff('sudbury', 'SITE_ADMIN'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // unknown site: refused before the reload

    await writeFile(path.join(tenantsDir, 'sudbury.json'), JSON.stringify(newSite, null, 2));
    const before = reloads().length;
    server.child.kill('SIGHUP');
    await until('the reload', () => (reloads().length > before ? true : undefined), server.logs);
    expect(reloads().at(-1)).toContain('"added":["sudbury"]');

    const slugs = await siteSlugs();
    expect(slugs).toHaveLength(12);
    expect(slugs).toContain('sudbury');
    const admin = await staff('sudbury', 'SITE_ADMIN');
    const viewer = await graphql(server, gql('{ viewer { tenant } launchPlan { activity status lead } }'), {}, admin);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer).toEqual({ tenant: 'sudbury' });
    expect(viewer.data?.launchPlan).toHaveLength(9);
    expect(viewer.data?.launchPlan.every((a: { status: string }) => a.status === 'NOT_STARTED')).toBe(true);
    expect(viewer.data?.launchPlan[0]).toMatchObject({ activity: 'FORM_STAFF_CIRCLE', lead: 'Executive leaders' });
  }, 120_000);

  it('a reload with bad files keeps the sites as they were and logs every problem of every file', async () => {
    const sitesBefore = await siteSlugs();
    const guelph = JSON.parse(await readFile(path.join(tenantsDir, 'guelph.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(tenantsDir, 'guelph.json'), JSON.stringify({ ...guelph, regionKind: 'SUBURBAN', name: 'G' }));
    await writeFile(path.join(tenantsDir, 'timmins.json'), '{ "id": "timmins", ');
    await writeFile(path.join(tenantsDir, 'kapuskasing.json'), JSON.stringify({ ...newSite, id: 'kapuskasing', languages: ['French'] }));
    try {
      const before = reloads().length;
      server.child.kill('SIGHUP');
      await until('the reload', () => (reloads().length > before ? true : undefined), server.logs);
      const line = reloads().at(-1)!;
      expect(line).toContain('site files not reloaded');
      for (const problem of [
        'tenants/guelph.json: field \\"regionKind\\"',
        'tenants/guelph.json: field \\"name\\"',
        'tenants/timmins.json: field \\"(file)\\" is not valid JSON',
        'tenants/kapuskasing.json: field \\"languages.0\\"',
      ]) {
        expect(line).toContain(problem);
      }
      expect(line).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
      expect(await siteSlugs()).toEqual(sitesBefore);
      expect(sitesBefore).not.toContain('kapuskasing');
    } finally {
      await writeFile(path.join(tenantsDir, 'guelph.json'), JSON.stringify(guelph));
      await rm(path.join(tenantsDir, 'timmins.json'));
      await rm(path.join(tenantsDir, 'kapuskasing.json'));
    }
  }, 120_000);

  it.runIf(!process.env.TEST_DATABASE_URL)(
    'npm run db:migrate and a second server refuse the embedded database folder the server holds, saying who holds it',
    async () => {
      for (const script of ['scripts/db-migrate.ts', 'scripts/db-seed.ts', 'src/main.ts']) {
        const other = run(script, env);
        expect(await other.exit, other.logs.join('\n')).toBe(1);
        const output = other.logs.join('\n');
        expect(output).toContain(`The embedded database folder ${testDb.config.pgliteDir} is in use by another process (pid ${server.child.pid}`);
        expect(output).not.toMatch(/^\s+at /m); // a plain message, no stack trace
      }
      // The server was not disturbed: still serving its sites.
      expect((await siteSlugs()).length).toBeGreaterThanOrEqual(11);
    },
    180_000,
  );
});

describe('site file problems at start-up', () => {
  it('are reported all at once, as a plain message without a stack trace, before the database is opened', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rx-bad-sites-'));
    try {
      const guelph = JSON.parse(await readFile('tenants/guelph.json', 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(dir, 'guelph.json'), JSON.stringify({ ...guelph, regionKind: 'SUBURBAN', pilotStart: '2018-13-45' }));
      await writeFile(path.join(dir, 'norwest.json'), '{ nope');
      await writeFile(path.join(dir, 'rexdale-north.json'), JSON.stringify({ ...guelph, id: 'rexdale', colour: 'green' }));
      const started = run('src/main.ts', { TENANTS_DIR: dir, DATA_DIR: dir, DATABASE_URL: '', PGLITE_DIR: path.join(dir, 'pglite') });
      expect(await started.exit).toBe(1);
      const stderr = started.logs.filter((l) => !l.startsWith('{'));
      expect(stderr[0]).toBe('5 problems in the site files:');
      expect(stderr.slice(1)).toEqual([
        expect.stringMatching(/^ {2}tenants\/guelph\.json: field "regionKind" /),
        expect.stringMatching(/^ {2}tenants\/guelph\.json: field "pilotStart" /),
        expect.stringMatching(/^ {2}tenants\/norwest\.json: field "\(file\)" is not valid JSON/),
        '  tenants/rexdale-north.json: field "colour" Unrecognized key: "colour"',
        '  tenants/rexdale-north.json: field "id" must match the file name (rexdale-north)',
      ]);
      expect(started.logs.join('\n')).not.toMatch(/^\s+at /m);
      expect(await readdir(dir)).not.toContain('pglite'); // the database was never opened
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
