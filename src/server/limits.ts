// What one operation may cost, decided after parsing and before anything runs: depth, aliases and
// directives (GraphQL Armor's rules), and a cost budget per caller kind (priced per field by
// graphql/cost.ts; pages multiply). The token count is capped by the parser itself (app.ts).
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { createComplexityRule } from '@pothos/plugin-complexity';
import type { Principal } from '../auth/principal.js';
import type { QueryLimits } from '../config.js';
import { queryTooComplex } from '../graphql/errors.js';
import { countsCost } from '../graphql/cost.js';

export type Operation = {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null;
  variables: Record<string, unknown>;
  context: object;
};

/** Counting rules report `{ n }` when they accept and a message with both numbers when they refuse. */
function counted(limit: string, max: number, found: (name: string, actual: number, max: number) => void) {
  return {
    n: max,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(_ctx: unknown, error: GraphQLError) => found(limit, Number(/found (\d+)/.exec(error.message)?.[1] ?? max + 1), max)],
  };
}

/** The operation's cost; throws QUERY_TOO_COMPLEX naming the first limit it is over. */
export function admitOperation(principal: Principal, operation: Operation, limits: QueryLimits): number {
  let over: GraphQLError | undefined;
  const found = (name: string, actual: number, max: number) => (over ??= queryTooComplex(name, actual, max));
  let cost = 0;
  const budget = limits.cost[principal.kind];
  // Anything else these rules could report (variables that do not coerce) execution reports itself.
  validate(operation.schema, operation.document, [
    maxDepthRule({ ...counted('depth', limits.depth, found), flattenFragments: true }),
    maxAliasesRule(counted('aliases', limits.aliases, found)),
    maxDirectivesRule(counted('directives', limits.directives, found)),
    createComplexityRule({
      context: operation.context,
      variableValues: operation.variables,
      operationName: operation.operationName,
      onResult: (result) => {
        cost = result.complexity + countsCost(operation.schema, operation.document, operation.operationName, operation.variables, operation.context);
        if (cost > budget) found('cost', cost, budget);
      },
    }),
  ]);
  if (over) throw over;
  return cost;
}
