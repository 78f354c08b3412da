// What a field costs, for the per-operation budget (server/limits.ts): a field is 1; a list
// multiplies what is selected under it by how many items it can return, so nested pages multiply.
import { getNamedType, getNullableType, isListType, type GraphQLField } from 'graphql';
import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import { badUserInput } from './errors.js';

/** Pothos relay's page sizes (20 when neither `first` nor `last` is given, at most 100). */
export const defaultPageSize = 20;
export const maxPageSize = 100;
/** Items assumed under a list field that takes no page size (a prescription's items, needs). */
const unpagedListItems = 10;

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : undefined);

export function fieldCost<Context>(args: Record<string, unknown>, _ctx: Context, field: GraphQLField<unknown, Context>): FieldComplexityValue {
  const first = count(args.first);
  const last = count(args.last);
  for (const [name, size] of [
    ['first', first],
    ['last', last],
  ] as const) {
    // Relay would quietly return fewer; a caller asking for more should know it will not get them.
    if (size !== undefined && size > maxPageSize) throw badUserInput([{ field: `${field.name}.${name}`, message: `at most ${maxPageSize} per page` }]);
  }
  if (first !== undefined || last !== undefined || getNamedType(field.type).name.endsWith('Connection')) {
    // One statement for the page; the page's size multiplies each item's selection.
    return { field: 2, multiplier: Math.min(Math.max(first ?? 0, last ?? 0) || defaultPageSize, maxPageSize) };
  }
  if (Array.isArray(args.ids)) {
    if (args.ids.length > maxPageSize) throw badUserInput([{ field: `${field.name}.ids`, message: `at most ${maxPageSize} ids at once` }]);
    return { field: 1, multiplier: args.ids.length };
  }
  // A connection's edges and their nodes are already counted by the connection's page size.
  if (field.name === 'edges' || (field.name === 'node' && args.id === undefined)) return { field: 0, multiplier: 1 };
  if (isListType(getNullableType(field.type))) return { field: 1, multiplier: unpagedListItems };
  return 1;
}
