// npm run docs:authz: writes the README's authorization table from the catalogue of actions.
import { readFile, writeFile } from 'node:fs/promises';
import { authorizationTable, withTable } from '../src/auth/authz-table.js';
import { schema } from '../src/graphql/schema.js';

const readme = new URL('../README.md', import.meta.url);
await writeFile(readme, withTable(await readFile(readme, 'utf8'), authorizationTable(schema)));
console.log('wrote the authorization table in README.md');
