// The peer of `npm run bench:peer`: PostGraphile 5 (Amber preset) over the same database, each
// request under the API's restricted role and settings (BENCH_DATABASE_URL given by the benchmark).
// PostGraphile 5 is built for Node 22; on Node 20 it needs Promise.withResolvers.
import 'core-js/actual/promise/with-resolvers.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { ready, settingsOf } from './principal.js';

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.PEER_DATABASE_URL!, schemas: ['public'] })],
  grafast: {
    explain: false,
    context: async (requestContext) => ({ pgSettings: await settingsOf(requestContext.node?.req.headers.authorization) }),
  },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
});
const server = createServer();
await pgl.createServ(grafserv).addTo(server);
server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => {
  server.close();
  void pgl.release();
});
