import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

/** Typed operations against schema.graphql: results and variables inferred from the document. */
export const gql = initGraphQLTada<{
  introspection: introspection;
  scalars: { Date: string; DateTime: string; JSON: unknown };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
