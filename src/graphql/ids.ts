import type { SchemaTypes } from '@pothos/core';
import { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { textProblem } from './clean-strings.js';
import { badUserInput } from './errors.js';
import { actions } from '../auth/actions.js';
import { reached, type TypeAuthz } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { allows } from '../auth/rules.js';

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

/** A Node type whose own action (if it has one) the caller holds: what it may not read reads as null, its fields need not ask again (permissions.ts). */
const isReadableNode = (typename: string, info: GraphQLResolveInfo, principal: Principal | null) => {
  const type = typename ? info.schema.getType(typename) : undefined;
  if (!isObjectType(type) || !type.getInterfaces().some((face) => face.name === 'Node')) return false;
  const authz = type.extensions.authz as TypeAuthz | undefined;
  return !authz || authz === reached || (!!principal && allows(actions[authz], principal));
};

/** `nodes(ids:)` and `node(id:)`: what the relay plugin loads for ids of a Node type, null for the others, in order. */
export const lookUpNodes = <Types extends SchemaTypes>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  ctx: { principal: Principal | null },
  info: GraphQLResolveInfo,
  ids: readonly GlobalId[],
) =>
  resolveNodes(
    builder,
    ctx,
    info,
    ids.map((id) => (isReadableNode(id.typename, info, ctx.principal) ? id : null)),
  );
