import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import '../privacy/plugin.js';
import '../auth/plugin.js';
import './clean-strings.js';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import type { GraphQLContext } from './context.js';
import { fieldCost } from './cost.js';
import { parseDate, parseDateTime } from './dates.js';
import { decodeNodeId, lookUpNodes } from './ids.js';
import { inputError } from './validation.js';

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    JSON: { Input: never; Output: unknown };
  };
}>({
  plugins: [PrismaPlugin, RelayPlugin, ComplexityPlugin, ValidationPlugin, 'privacy', 'authz', 'cleanStrings'],
  // Each input field carries its zod rule (`validate`); a failure is BAD_USER_INPUT with every field path.
  validation: { validationError: inputError },
  // Prices fields only: the budget is checked once per request, before the transaction opens (server/limits.ts).
  complexity: { fieldComplexity: fieldCost },
  defaultFieldNullability: false,
  prisma: {
    // Every resolver reads through the request's own transaction (see db/request-scope.ts).
    // Every prismaNode is declared `nullable: true`: a row this caller may not see (row-level
    // security) then loads as null, exactly like a row that does not exist.
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeTypeOptions: { description: 'An object with a global id, fetchable through `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.', authz: 'reached' },
    idFieldOptions: { description: 'Global id of this object (opaque; use with `node(id:)`).' },
    nodeQueryOptions: {
      description: 'Fetches one object by global id; null when it does not exist or is not yours.',
      authz: 'lookUpNodes',
      args: { id: { description: 'A global id.' } },
      resolve: async (_root, args, ctx, info): Promise<unknown> => (await lookUpNodes(builder, ctx, info, [args.id]))[0],
    },
    nodesQueryOptions: {
      description: 'Fetches objects by global id; null for each that does not exist or is not yours.',
      authz: 'lookUpNodes',
      args: { ids: { description: 'Global ids.' } },
      resolve: (_root, args, ctx, info): Promise<unknown[]> => lookUpNodes(builder, ctx, info, args.ids),
    },
    // An id that is not one reads as null in `node` / `nodes` (graphql/ids.ts), rather than failing the lookup.
    decodeGlobalID: decodeNodeId,
    cursorFieldOptions: { description: 'Opaque cursor of this edge, for `after` / `before`.' },
    nodeFieldOptions: { description: 'The object at this edge.' },
    edgesFieldOptions: { description: 'The edges of this page.' },
    pageInfoFieldOptions: { description: 'Paging information for this page.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge of this page.' },
    beforeArgOptions: { description: 'Return items before this cursor.' },
    afterArgOptions: { description: 'Return items after this cursor.' },
    firstArgOptions: { description: 'Return at most this many items from the start (max 100).' },
    lastArgOptions: { description: 'Return at most this many items from the end (max 100).' },
    // Connections and their edges are reached only through the checked field that returns them.
    defaultConnectionTypeOptions: { description: 'A page of a list, with cursors.', authz: 'reached' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with its cursor.', authz: 'reached' },
  },
});

builder.queryType({ description: 'Reads.' });

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 date-time with time zone (`2025-03-01T09:30:00Z`), years 1900 to 2100.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
});

builder.scalarType('Date', {
  description: 'A calendar date, as YYYY-MM-DD: a real day, years 1900 to 2100.',
  serialize: (value) => value.toISOString().slice(0, 10),
  parseValue: parseDate,
});

builder.scalarType('JSON', {
  description: 'A JSON value, for documents in another standard’s shape (for example an Open Referral HSDS export). Output only.',
  serialize: (value) => value,
  parseValue: () => {
    throw new TypeError('JSON is accepted as output only');
  },
});
