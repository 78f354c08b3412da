// Once per run: an empty embedded database is created, for the files that need one to copy; the
// server starts on an empty database (migrations, tenant files, demo data) and stops; every test
// file's startTestServer() then starts on a copy of that database.
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { startServer } from '../src/server/start.js';
import { createEmptyEmbeddedDatabase, createTestDatabase } from './support/database.js';

export default async function setup(project: TestProject) {
  const empty = await createEmptyEmbeddedDatabase();
  const seeded = await createTestDatabase({}, { copyOf: process.env.TEST_DATABASE_URL ? undefined : empty.location });
  try {
    const server = await startServer({ ...seeded.config, seedOnEmpty: true }, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
      seedAnyDatabase: true,
    });
    await server.close();
  } catch (error) {
    await Promise.all([seeded.drop(), empty.drop()]);
    throw error;
  }
  project.provide('seededDatabase', seeded.location);
  project.provide('emptyEmbeddedDatabase', empty.location);
  return async () => {
    await Promise.all([seeded.drop(), empty.drop()]);
  };
}
