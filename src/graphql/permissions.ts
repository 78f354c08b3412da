// The shield rule tree, built by walking the schema: every field carries the action it names
// (`authz`, auth/plugin.ts) or its type's; a field with neither fails start-up. Deny by default.
import { isObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, shield } from 'graphql-shield';
import type { GraphQLContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import type { ActionName } from '../auth/actions.js';
import { reached, type TypeAuthz } from '../auth/plugin.js';
import { ruleFor } from '../auth/rules.js';
import { schema as apiSchema } from './schema.js';

type FieldRule = ReturnType<typeof ruleFor> | typeof allow;
export type RuleTree = Record<string, Record<string, FieldRule>>;

/** Each field's declared action (or its type's), as a shield rule; throws naming every field without one. */
export function ruleTree(schema: GraphQLSchema): RuleTree {
  const tree: RuleTree = {};
  const undeclared: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeAuthz = type.extensions.authz as TypeAuthz | undefined;
    const rules: Record<string, FieldRule> = {};
    for (const field of Object.values(type.getFields())) {
      const authz = (field.extensions.authz as ActionName | undefined) ?? typeAuthz;
      if (!authz) undeclared.push(`${type.name}.${field.name}`);
      else rules[field.name] = authz === reached ? allow : ruleFor(authz);
    }
    tree[type.name] = rules;
  }
  if (undeclared.length > 0) {
    throw new Error(`No action declared for ${undeclared.join(', ')}: give the field (or its type) \`authz\` from auth/actions.ts`);
  }
  return tree;
}

export const permissions = ruleTree(apiSchema);

export function protectSchema(schema: GraphQLSchema): GraphQLSchema {
  const rules = ruleTree(schema);
  const middleware = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    // Resolver errors pass through untouched (codes intact); the error-masking plugin logs and
    // hides anything without a public code. A field no rule covers: FORBIDDEN, or UNAUTHENTICATED.
    fallbackError: (_thrown, _parent, _args, ctx) => ((ctx as unknown as GraphQLContext).principal ? forbidden() : unauthenticated()),
  });
  // A field whose rule is `allow` passes every check by definition; wrapping it would only cost
  // time (graphql-shield wraps each field of each row: 3,000-cell aggregates, long lists). Its
  // rows are reachable only through fields that are checked.
  const wrapped = middleware.generate(schema) as Record<string, Record<string, unknown>>;
  for (const [type, fields] of Object.entries(rules)) {
    for (const [field, rule] of Object.entries(fields)) if (rule === allow) delete wrapped[type]![field];
    if (Object.keys(wrapped[type]!).length === 0) delete wrapped[type];
  }
  return applyMiddleware(schema, wrapped as never);
}
