// The shield rule tree, built by walking the schema: every field carries the action it names
// (`authz`, auth/plugin.ts) or its type's; a field with neither fails start-up. Deny by default.
//
// Checked once per object, not once per value: a field that produces objects of a type with an
// action of its own also checks that action on what it produced (unless its own already implies
// it; nothing produced, nothing to check), and `node`/`nodes` return null for a type the caller
// may not read (graphql/ids.ts). Every object of such a type then exists only for callers allowed
// its action, so its plain fields (scalars and enums) that ask no more than that action are not
// wrapped: on a 1,500-row history, one check per row instead of one per value. A type some
// mutation returns to callers its action does not allow keeps every field checked (the write must
// still happen, its fields then answer FORBIDDEN).
import { getNamedType, isInterfaceType, isLeafType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { allow, deny, shield } from 'graphql-shield';
import type { GraphQLContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { actions, type Action, type ActionName } from '../auth/actions.js';
import { reached, type TypeAuthz } from '../auth/plugin.js';
import { allows, ruleFor } from '../auth/rules.js';
import { schema as apiSchema } from './schema.js';

type FieldRule = ReturnType<typeof ruleFor> | typeof allow;
export type RuleTree = Record<string, Record<string, FieldRule>>;

const kinds = ['site', 'network', 'partner'] as const;
/** Whether every caller `a` allows is also allowed by `b`. */
const within = (a: Action, b: Action) =>
  kinds.every((kind) => {
    const [mine, theirs] = [a[kind], b[kind]] as [readonly string[] | 'any' | undefined, readonly string[] | 'any' | undefined];
    return mine === undefined || theirs === 'any' || (mine !== 'any' && theirs !== undefined && mine.every((held) => theirs.includes(held)));
  });

const typeAction = (type: GraphQLObjectType): ActionName | undefined => {
  const authz = type.extensions.authz as TypeAuthz | undefined;
  return authz === reached ? undefined : authz;
};
const fieldAction = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): TypeAuthz | undefined =>
  (field.extensions.authz as ActionName | undefined) ?? (type.extensions.authz as TypeAuthz | undefined);
const rootLookups = new Set(['node', 'nodes']);

/** Each field's declared action (or its type's), as a shield rule; throws naming every field without one. */
export function ruleTree(schema: GraphQLSchema): RuleTree {
  const tree: RuleTree = {};
  const undeclared: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules: Record<string, FieldRule> = {};
    for (const field of Object.values(type.getFields())) {
      const authz = fieldAction(type, field);
      if (!authz) {
        undeclared.push(`${type.name}.${field.name}`);
        continue;
      }
      rules[field.name] = authz === reached ? allow : ruleFor(authz);
    }
    tree[type.name] = rules;
  }
  if (undeclared.length > 0) {
    throw new Error(`No action declared for ${undeclared.join(', ')}: give the field (or its type) \`authz\` from auth/actions.ts`);
  }
  return tree;
}

/** The fields that produce objects of a type whose action their own does not imply: `Type.field` → the type's action, checked on what they produce. */
export function producedChecks(schema: GraphQLSchema): Map<string, ActionName> {
  const checks = new Map<string, ActionName>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      const produced = getNamedType(field.type);
      const produces = isObjectType(produced) ? typeAction(produced) : undefined;
      const authz = fieldAction(type, field);
      if (produces && (!authz || authz === reached || !within(actions[authz], actions[produces]))) checks.set(`${type.name}.${field.name}`, produces);
    }
  }
  return checks;
}

const checkProduced =
  (action: ActionName): IMiddlewareFunction =>
  async (resolve, parent, args, ctx, info) => {
    const value: unknown = await resolve(parent, args, ctx, info);
    if (value == null || (Array.isArray(value) && value.every((item) => item == null))) return value;
    const { principal } = ctx as GraphQLContext;
    if (!principal) throw unauthenticated();
    if (!allows(actions[action], principal)) throw forbidden();
    return value;
  };

/** `Type.field` of the plain fields whose check the field that produced their object has already made. */
export function checkedWithTheirObject(schema: GraphQLSchema): Set<string> {
  const unsafe = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const produced = getNamedType(field.type);
      const authz = fieldAction(type, field);
      if (isInterfaceType(produced) && !(type === schema.getQueryType() && rootLookups.has(field.name))) {
        for (const implementation of schema.getPossibleTypes(produced)) unsafe.add(implementation.name);
      } else if (isObjectType(produced) && type === schema.getMutationType()) {
        const produces = typeAction(produced);
        if (produces && (!authz || authz === reached || !within(actions[authz], actions[produces]))) unsafe.add(produced.name);
      }
    }
  }
  const covered = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || unsafe.has(type.name)) continue;
    const own = typeAction(type);
    if (!own) continue;
    for (const field of Object.values(type.getFields())) {
      const authz = fieldAction(type, field);
      if (isLeafType(getNamedType(field.type)) && field.args.length === 0 && authz && authz !== reached && within(actions[own], actions[authz])) {
        covered.add(`${type.name}.${field.name}`);
      }
    }
  }
  return covered;
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
  const covered = checkedWithTheirObject(schema);
  for (const [type, fields] of Object.entries(rules)) {
    for (const [field, rule] of Object.entries(fields)) if (rule === allow || covered.has(`${type}.${field}`)) delete wrapped[type]![field];
    if (Object.keys(wrapped[type]!).length === 0) delete wrapped[type];
  }
  const produced: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const [field, action] of producedChecks(schema)) {
    const [type, name] = field.split('.') as [string, string];
    (produced[type] ??= {})[name] = checkProduced(action);
  }
  return applyMiddleware(schema, wrapped as never, produced as never);
}
