import pino from 'pino';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export type TestServer = RunningServer & { testDb: TestDatabase; stop(): Promise<void> };

/** The real HTTP server on a random port, over a fresh database with the demo data. */
export async function startTestServer(overrides: Record<string, string> = {}, options: Pick<StartOptions, 'onQuery'> = {}): Promise<TestServer> {
  const testDb = await createTestDatabase(overrides);
  const server = await startServer({ ...testDb.config, seedOnEmpty: true }, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    ...options,
    seedAnyDatabase: true,
  });
  return {
    ...server,
    testDb,
    async stop() {
      await server.close();
      await testDb.drop();
    },
  };
}

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[];
  headers: Headers;
};

export async function graphql<T = any>(
  server: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** The error codes of a response, in order. */
export const codes = (result: { errors?: { extensions?: { code?: string } }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);
