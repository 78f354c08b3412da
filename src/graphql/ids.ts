import type { SchemaTypes } from '@pothos/core';
import { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { textProblem } from './clean-strings.js';
import { badUserInput } from './errors.js';

type GlobalId = { typename: string; id: string };

/** Decoded, or null when it is not a global id: not base64 of `Type:id`, or an id no row can have (control characters). */
export function decodeId(globalId: string): GlobalId | null {
  try {
    const decoded = decodeGlobalID(globalId);
    return textProblem(decoded.id) ? null : decoded;
  } catch {
    return null;
  }
}

/** The database id inside a global id of the expected type; BAD_USER_INPUT naming the field otherwise. */
export function idOf(globalId: string, typename: string, field: string): string {
  const decoded = decodeId(globalId);
  if (decoded?.typename === typename) return decoded.id;
  throw badUserInput([{ field, message: `must be the id of a ${typename}` }]);
}

// `node` and `nodes` read an id that names no type of object (malformed, unknown or not a Node type)
// as null, like one that does not exist: a lookup never fails on what an id holds.
const notAnId: GlobalId = { typename: '', id: '' };

/** The relay plugin's decoder for `node(id:)` and `nodes(ids:)`: never throws. */
export const decodeNodeId = (globalId: string): GlobalId => decodeId(globalId) ?? notAnId;

const isNodeType = (typename: string, info: GraphQLResolveInfo) => {
  const type = typename ? info.schema.getType(typename) : undefined;
  return isObjectType(type) && type.getInterfaces().some((face) => face.name === 'Node');
};

/** `nodes(ids:)` and `node(id:)`: what the relay plugin loads for ids of a Node type, null for the others, in order. */
export const lookUpNodes = <Types extends SchemaTypes>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  ctx: object,
  info: GraphQLResolveInfo,
  ids: readonly GlobalId[],
) =>
  resolveNodes(
    builder,
    ctx,
    info,
    ids.map((id) => (isNodeType(id.typename, info) ? id : null)),
  );
