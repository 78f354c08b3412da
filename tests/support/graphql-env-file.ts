import { buildSchema, introspectionFromSchema } from 'graphql';
import { minifyIntrospection, outputIntrospectionFile } from 'gql.tada/internal';

export const graphqlEnvPath = 'tests/support/graphql-env.d.ts';

/** The gql.tada introspection types of the printed schema, the contents of tests/support/graphql-env.d.ts. */
export function graphqlEnvFile(sdl: string): string {
  // A named introspection: gql.tada's module is not augmented, tests/support/graphql.ts initialises it explicitly.
  const introspection = { ...introspectionFromSchema(buildSchema(sdl)), name: 'rx-community' };
  return outputIntrospectionFile(minifyIntrospection(introspection), { fileType: '.d.ts', shouldPreprocess: true });
}
