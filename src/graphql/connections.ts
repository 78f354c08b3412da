// One named connection type per node type (`ClientConnection`, edges `ClientEdge`), shared by every
// field that lists that type, so a front-end writes one fragment per list. Each has `totalCount`.
import { builder } from './builder.js';

/** A connection field's `totalCount` as the Prisma plugin hands it over: a number, or a function that counts. */
type Counted = { totalCount?: number | (() => number | Promise<number>) };

type NodeRef = Parameters<typeof builder.connectionObject>[0]['type'];

/** Fields of the edge beside `node` and `cursor` (the asset map's `distanceKm`). */
type EdgeFields = (t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, { cursor: string; node: unknown }>) => object;

export function connectionOf<T extends NodeRef>(type: T, typeName: string, edgeFields?: EdgeFields) {
  return builder.connectionObject(
    {
      type,
      name: `${typeName}Connection`,
      description: `A page of ${typeName} items, with cursors and the total count.`,
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many items the whole list holds (under the same filters and the same row-level security as the page). Counted only when asked for.',
          // Lets the Prisma plugin skip loading the page when only the count is asked for.
          extensions: { pothosPrismaTotalCount: true },
          resolve: (connection) => {
            const { totalCount } = connection as Counted;
            if (totalCount === undefined) throw new Error('A connection field without a totalCount option');
            return typeof totalCount === 'function' ? totalCount() : totalCount;
          },
        }),
      }),
    },
    { name: `${typeName}Edge`, fields: edgeFields } as never,
  );
}
