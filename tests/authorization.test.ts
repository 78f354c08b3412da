import { readdir, readFile } from 'node:fs/promises';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actions, aggregateReaders, healthInformationReaders, type Action } from '../src/auth/actions.js';
import { authorizationTable, tableEnd, tableStart, withTable } from '../src/auth/authz-table.js';
import { ruleTree } from '../src/graphql/permissions.js';
import { schema } from '../src/graphql/schema.js';

const queryWith = (extensions: Record<string, unknown>) =>
  new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { answer: { type: GraphQLString, extensions } } }) });

/** The body of the newest definition of a SQL function across the migrations, in order. */
async function latestDefinition(name: string) {
  const root = new URL('../prisma/migrations/', import.meta.url);
  let body: string | undefined;
  for (const folder of (await readdir(root)).filter((f) => /^\d/.test(f)).sort()) {
    const sql = await readFile(new URL(`${folder}/migration.sql`, root), 'utf8');
    const pattern = new RegExp(`CREATE (?:OR REPLACE )?FUNCTION ${name}\\(.*?\\$\\$(.*?)\\$\\$`, 'gs');
    for (const match of sql.matchAll(pattern)) body = match[1];
  }
  if (!body) throw new Error(`no definition of ${name} in the migrations`);
  return body;
}

const quoted = (sql: string) => [...sql.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!).sort();

describe('authorization catalogue', () => {
  it('is declared on every field: the walk names a field without an action and refuses to build', () => {
    expect(() => queryWith({})).not.toThrow();
    expect(() => ruleTree(queryWith({}))).toThrow(/Query\.answer/);
    expect(ruleTree(queryWith({ authz: 'seeViewer' })).Query).toHaveProperty('answer');
    expect(() => ruleTree(schema)).not.toThrow();
  });

  it('names only actions of the catalogue', () => {
    const unknown: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
      const declared = [type.extensions.authz, ...Object.values(type.getFields()).map((f) => f.extensions.authz)];
      for (const authz of declared) if (typeof authz === 'string' && authz !== 'reached' && !(authz in actions)) unknown.push(`${type.name}: ${authz}`);
    }
    expect(unknown).toEqual([]);
  });

  it('types its roles and scopes: a misspelt one does not compile', () => {
    // @ts-expect-error a role that does not exist
    const misspelt: Action = { why: 'no such role', site: ['PRESCRIBR'] };
    // @ts-expect-error a scope that does not exist
    const unknownScope: Action = { why: 'no such scope', partner: ['referrals:write'] };
    expect([misspelt, unknownScope]).toHaveLength(2);
  });

  it('is what the README’s authorization table says (npm run docs:authz)', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(tableStart);
    expect(readme).toContain(tableEnd);
    expect(readme).toBe(withTable(readme, authorizationTable(schema)));
  });

  it('gives app_phi_tenant the roles that read health information', async () => {
    const body = await latestDefinition('app_phi_tenant');
    expect(quoted(body.slice(body.indexOf('ARRAY[')))).toEqual([...healthInformationReaders].sort());
    expect(body).toContain("app_principal_kind() = 'STAFF'");
  });

  it('gives agg_scope the roles that read aggregates', async () => {
    const body = await latestDefinition('agg_scope');
    const [network, site] = body.split(/\bELSIF\b/);
    expect(network).toContain("app_principal_kind() = 'NETWORK'");
    expect(site).toContain("app_principal_kind() = 'STAFF'");
    const roles = (part: string) => quoted(part.slice(0, part.indexOf('THEN')).replace(/app_principal_kind\(\) = '\w+'/, ''));
    expect(roles(network!)).toEqual([...aggregateReaders.network].sort());
    expect(roles(site!)).toEqual([...aggregateReaders.site].sort());
  });
});
