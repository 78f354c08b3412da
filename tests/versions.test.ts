// Every update* is optimistic: a stale expectedVersion answers CONFLICT and changes nothing; the
// version the row is at succeeds and moves it on by one.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { network, staff } from './support/tokens.js';

type Case = {
  mutation: string;
  table: string;
  /** A row of the seed the caller may change. */
  row: (server: TestServer) => Promise<{ id: string; status?: string }>;
  caller: () => Promise<Record<string, string>>;
  change: (row: { status?: string }) => Record<string, unknown>;
};

const cases: Case[] = [
  {
    mutation: 'updatePartnerOrganization',
    table: 'PartnerOrganization',
    row: async () => ({ id: 'rom' }),
    caller: () => network('ALLIANCE_ADMIN'),
    change: () => ({ description: 'Changed under optimistic concurrency.' }),
  },
  {
    mutation: 'updatePartnership',
    table: 'Partnership',
    row: (server) => server.db.prisma.partnership.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } }),
    caller: () => staff('guelph', 'SITE_ADMIN'),
    change: () => ({ note: 'Changed under optimistic concurrency.' }),
  },
  {
    mutation: 'updateProgram',
    table: 'Program',
    row: (server) => server.db.prisma.program.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } }),
    caller: () => staff('guelph', 'PROGRAM_COORDINATOR'),
    change: () => ({ schedule: 'Changed under optimistic concurrency.' }),
  },
  {
    mutation: 'updateHealthChampion',
    table: 'HealthChampion',
    row: (server) => server.db.prisma.healthChampion.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } }),
    caller: () => staff('guelph', 'PROGRAM_COORDINATOR'),
    change: () => ({ displayName: 'Changed Champion' }),
  },
  {
    mutation: 'updateCommunityAsset',
    table: 'CommunityAsset',
    row: (server) => server.db.prisma.communityAsset.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } }),
    caller: () => staff('guelph', 'LINK_WORKER'),
    change: () => ({ description: 'Changed under optimistic concurrency.' }),
  },
  {
    mutation: 'updatePrescriptionItemStatus',
    table: 'PrescriptionItem',
    row: (server) =>
      server.db.prisma.prescriptionItem.findFirstOrThrow({
        // Items move forward only: one that can still stop.
        where: {
          tenantId: 'guelph',
          status: { in: ['SUGGESTED', 'ENROLLED'] },
          prescription: { status: { in: ['REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'] } },
        },
        select: { id: true },
      }),
    caller: () => staff('guelph', 'LINK_WORKER'),
    change: () => ({ status: 'STOPPED' }),
  },
];

describe('optimistic concurrency of every update*', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const rowAsStored = async (table: string, id: string) =>
    (await server.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}" WHERE id = $1`, id))[0]!;

  it.each(cases)('$mutation: a stale version answers CONFLICT and changes nothing; the current one succeeds', async (c) => {
    const row = await c.row(server);
    const id = encodeGlobalID(c.table, row.id);
    const document = `mutation($input: ${c.mutation[0]!.toUpperCase()}${c.mutation.slice(1)}Input!) { ${c.mutation}(input: $input) { id version } }`;
    const headers = await c.caller();
    const before = await rowAsStored(c.table, row.id);
    const version = before.version as number;

    for (const stale of [version - 1, version + 1]) {
      const refused = await graphql(server, document, { input: { id, expectedVersion: stale, ...c.change(row) } }, headers);
      expect(codes(refused)).toEqual(['CONFLICT']);
    }
    expect(await rowAsStored(c.table, row.id)).toEqual(before);

    const saved = await graphql(server, document, { input: { id, expectedVersion: version, ...c.change(row) } }, headers);
    expect(saved.errors).toBeUndefined();
    expect(saved.data[c.mutation]).toEqual({ id, version: version + 1 });
    expect((await rowAsStored(c.table, row.id)).version).toBe(version + 1);
  });
});
