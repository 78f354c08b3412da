// npm run schema:print: writes schema.graphql from the code-first schema, and the tests' gql.tada types from it.
import { writeFile } from 'node:fs/promises';
import { printedSchema } from '../src/graphql/print.js';
import { graphqlEnvFile, graphqlEnvPath } from '../tests/support/graphql-env-file.js';

const sdl = printedSchema();
await writeFile(new URL('../schema.graphql', import.meta.url), sdl);
await writeFile(new URL(`../${graphqlEnvPath}`, import.meta.url), graphqlEnvFile(sdl));
console.log(`wrote schema.graphql and ${graphqlEnvPath}`);
