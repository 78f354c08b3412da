import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

/** Typed operations against schema.graphql: results and variables inferred from the document. */
export const gql = initGraphQLTada<{
  introspection: introspection;
  scalars: { Date: string; DateTime: string; JSON: unknown };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';

/** A `node(id:)` result as the type its fragment selected (the query selects `__typename`); throws on null or another type. */
export function ofType<T extends { __typename?: string }, N extends NonNullable<T['__typename']>>(
  node: T | null | undefined,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (node?.__typename !== typename) throw new Error(`expected a ${typename}, got ${node ? node.__typename : node}`);
  return node as Extract<T, { __typename?: N }>;
}
