// Migrations through Prisma's WebAssembly schema engine: the native engine cannot be
// downloaded on these machines, and this one works over any driver adapter (PGlite or pg).
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineModule from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemaPath = path.join(root, 'prisma/schema.prisma');
export const migrationsDir = path.join(root, 'prisma/migrations');
const noFilters = { externalTables: [], externalEnums: [] };

let wasmReady: Promise<void> | undefined;
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': engineModule as unknown as WebAssembly.ModuleImports,
    });
    engineModule.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine, schema: string) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const schema = await readFile(schemaPath, 'utf8');
  const engine = await engineModule.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(adapterFactory));
  try {
    return await work(engine, schema);
  } finally {
    engine.free();
  }
}

async function migrationNames() {
  return existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
}

export async function loadMigrations(): Promise<MigrationList> {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const names = await migrationNames();
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok' as const,
            value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'),
          },
        },
      })),
    ),
  };
}

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory) {
  const migrationsList = await loadMigrations();
  return withSchemaEngine(adapterFactory, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return appliedMigrationNames;
  });
}

// The migrations a running process ships with do not change: /readyz lists them once.
let shippedMigrations: Promise<string[]> | undefined;

/** Names of migrations on disk that the database has not applied (cheap: one SELECT, no engine). */
export async function pendingMigrations(prisma: { $queryRawUnsafe<T>(sql: string): Promise<T> }) {
  const onDisk = await (shippedMigrations ??= migrationNames());
  let applied: { migration_name: string }[] = [];
  try {
    applied = await prisma.$queryRawUnsafe('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
  } catch {
    return onDisk; // no migrations table yet
  }
  const done = new Set(applied.map((row) => row.migration_name));
  return onDisk.filter((name) => !done.has(name));
}

/**
 * The SQL that would bring the migration history up to schema.prisma ('' when they agree).
 * The history is replayed on an in-memory PGlite shadow whatever database is configured: it is a
 * property of the files, and @prisma/adapter-pg cannot read the catalog's "char" columns that the
 * engine inspects once row-level security policies exist. `shadowDir`: an empty data folder instead.
 */
export async function driftFromSchema({ shadowDir = 'memory://' }: { shadowDir?: string } = {}) {
  const migrationsList = await loadMigrations();
  const pglite = await PGlite.create(shadowDir);
  try {
    return await diffHistoryToSchema(new PrismaPGlite(pglite), migrationsList);
  } finally {
    await pglite.close();
  }
}

function diffHistoryToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory, migrationsList: MigrationList) {
  return withSchemaEngine(adapterFactory, async (engine, schema) => {
    const result = await engine.diff({
      from: migrationsList.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  });
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql from the history-to-schema diff. */
export async function createMigration(name: string) {
  const sql = await driftFromSchema();
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  const dir = path.join(migrationsDir, `${stamp}_${slug}`);
  await mkdir(dir, { recursive: true });
  if (!existsSync(path.join(migrationsDir, 'migration_lock.toml'))) {
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), '# Please do not edit this file manually\nprovider = "postgresql"\n');
  }
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  return dir;
}
