import { readFile } from 'node:fs/promises';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../src/graphql/print.js';
import { schema } from '../src/graphql/schema.js';
import { graphqlEnvFile, graphqlEnvPath } from './support/graphql-env-file.js';

describe('schema.graphql', () => {
  it('is current (run `npm run schema:print` after changing the schema)', async () => {
    expect(await readFile('schema.graphql', 'utf8')).toBe(printedSchema());
  });

  it('has current gql.tada types for the tests (run `npm run schema:print` after changing the schema)', async () => {
    expect(await readFile(graphqlEnvPath, 'utf8')).toBe(graphqlEnvFile(printedSchema()));
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
