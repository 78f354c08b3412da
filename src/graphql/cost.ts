// What a field costs, for the per-operation budget (server/limits.ts): a field is 1; a list
// multiplies what is selected under it by how many items it can return, so nested pages multiply.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import { badUserInput } from './errors.js';

/** Pothos relay's page sizes (20 when neither `first` nor `last` is given, at most 100). */
export const defaultPageSize = 20;
export const maxPageSize = 100;
/** Items assumed under a list field that takes no page size (a prescription's items, needs). */
const unpagedListItems = 10;

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : undefined);

/** A connection's `totalCount`: one more statement, over every matching row. */
export const countPrice = 5;

export function fieldCost<Context>(args: Record<string, unknown>, _ctx: Context, field: GraphQLField<unknown, Context>): FieldComplexityValue {
  // Priced by countsCost instead: the plugin would multiply it by its own connection's page size.
  if (field.name === 'totalCount') return 0;
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

const argumentsOf = (...[field, node, variables]: Parameters<typeof getArgumentValues>) => {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    // Arguments that do not coerce are execution's to report; they price as none.
    return {};
  }
};

/**
 * What the `totalCount`s of an operation cost: `countPrice` each, times the pages it sits in, but not
 * its own connection's page (a count runs once per connection, however large the page).
 */
export function countsCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null, variables: Record<string, unknown>, ctx: unknown) {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType, times: number, countTimes: number): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        if (field.name === 'totalCount' && type.name.endsWith('Connection')) cost += countPrice * countTimes;
        if (!selection.selectionSet) continue;
        const price = fieldCost(argumentsOf(field, selection, variables), ctx, field);
        const inner = times * (typeof price === 'object' ? (price.multiplier ?? 1) : 1);
        // Under a connection, its own totalCount counts as often as the connection itself.
        const connection = getNamedType(field.type).name.endsWith('Connection');
        cost += walk(selection.selectionSet, getNamedType(field.type), inner, connection ? times : inner);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (on) cost += walk(fragment.selectionSet, on, times, countTimes);
      }
    }
    return cost;
  };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName));
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = schema.getRootType(operation.operation);
  return root ? walk(operation.selectionSet, root, 1, 1) : 0;
}
