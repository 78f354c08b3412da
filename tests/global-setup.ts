// Once per run: the server starts on an empty database (migrations, tenant files, demo data) and
// stops; every test file's startTestServer() then starts on a copy of that database.
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { startServer } from '../src/server/start.js';
import { createTestDatabase } from './support/database.js';

export default async function setup(project: TestProject) {
  const seeded = await createTestDatabase();
  try {
    const server = await startServer({ ...seeded.config, seedOnEmpty: true }, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
      seedAnyDatabase: true,
    });
    await server.close();
  } catch (error) {
    await seeded.drop();
    throw error;
  }
  project.provide('seededDatabase', seeded.location);
  return () => seeded.drop();
}
