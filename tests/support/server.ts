import type { TadaDocumentNode } from 'gql.tada';
import { print, type DocumentNode } from 'graphql';
import pino from 'pino';
import { inject } from 'vitest';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.js';
import { createTestDatabase, type DatabaseLocation, type TestDatabase } from './database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database the server migrated and seeded once for this run (tests/global-setup.ts). */
    seededDatabase?: DatabaseLocation;
    /** An embedded database created and left empty (tests/global-setup.ts). */
    emptyEmbeddedDatabase?: DatabaseLocation;
  }
}

export type TestServer = RunningServer & { testDb: TestDatabase; stop(): Promise<void> };

/**
 * The real HTTP server on a random port, over a database of its own with the demo data: a copy of
 * the run's seeded database (start-up then finds its migrations applied and its tenants in place),
 * or, with other site files, an empty one the server seeds itself.
 */
export async function startTestServer(overrides: Record<string, string> = {}, options: Pick<StartOptions, 'onQuery'> = {}): Promise<TestServer> {
  const testDb = await createTestDatabase(overrides, { copyOf: 'TENANTS_DIR' in overrides ? undefined : inject('seededDatabase') });
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

/**
 * A database with nothing in it, not even the migrations: on PGlite a copy of the run's empty one
 * (its initdb done once), on the server of TEST_DATABASE_URL a new database; `embedded`: on PGlite
 * whatever the run's database.
 */
export function emptyTestDatabase(overrides: Record<string, string> = {}, { embedded = false } = {}): Promise<TestDatabase> {
  const copyOf = embedded || !process.env.TEST_DATABASE_URL ? inject('emptyEmbeddedDatabase') : undefined;
  return createTestDatabase(overrides, { copyOf, embedded });
}

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[];
  headers: Headers;
};

/**
 * One request to the server. A document from `gql` (tests/support/graphql.ts) types the result and
 * the variables; a string is sent as it is, for queries the schema must refuse.
 */
export async function graphql<Result, Variables>(
  server: { url: string },
  query: TadaDocumentNode<Result, Variables>,
  ...rest: Record<string, never> extends Variables
    ? [variables?: Variables, headers?: Record<string, string>]
    : [variables: Variables, headers?: Record<string, string>]
): Promise<GraphQLResponse<Result>>;
export async function graphql<T = any>(
  server: { url: string },
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResponse<T>>;
export async function graphql(
  server: { url: string },
  query: string | DocumentNode,
  variables: unknown = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<unknown>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<unknown>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** The error codes of a response, in order. */
export const codes = (result: { errors?: { extensions?: { code?: string } }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);
