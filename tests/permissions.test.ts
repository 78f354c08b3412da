import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { permissions } from '../src/graphql/permissions.js';
import { schema } from '../src/graphql/schema.js';

const isRuleMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !('resolve' in value) && !('getRules' in value);

describe('authorization rule map', () => {
  const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__'));

  it('gives every root field an explicit rule', () => {
    const missing: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      if (!root) continue;
      const rules = permissions[root.name];
      for (const field of Object.keys(root.getFields())) {
        if (!isRuleMap(rules) || !rules[field]) missing.push(`${root.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers every object type, so nothing is reachable only through the fallback', () => {
    const uncovered = objectTypes.filter((t) => !permissions[t.name]).map((t) => t.name);
    expect(uncovered).toEqual([]);
  });

  it('names only types and fields that exist', () => {
    const stale: string[] = [];
    for (const [typeName, rules] of Object.entries(permissions)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      if (isRuleMap(rules)) for (const field of Object.keys(rules)) if (!type.getFields()[field]) stale.push(`${typeName}.${field}`);
    }
    expect(stale).toEqual([]);
  });
});
