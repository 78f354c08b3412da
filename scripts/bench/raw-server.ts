// The floor of `npm run bench:peer`: the dashboard as one hand-written statement behind a bare
// node:http server, in a transaction under the API's restricted role and settings.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { ready, settingsOf } from './principal.js';

const pool = new pg.Pool({ connectionString: process.env.PEER_DATABASE_URL, max: 10 });

const dashboard = `
  SELECT coalesce(json_agg(json_build_object('node', row_to_json(x))), '[]') AS edges FROM (
    SELECT p.id, p.status, p."supportLevel", p.needs, p."referredAt",
           (SELECT json_build_object('id', c.id, 'givenName', c."givenName", 'familyName', c."familyName", 'chartNumber', c."chartNumber")
              FROM "Client" c WHERE c."tenantId" = p."tenantId" AND c.id = p."clientId") AS client,
           (SELECT coalesce(json_agg(json_build_object('id', i.id, 'status', i.status, 'program',
                     (SELECT json_build_object('id', g.id, 'name', g.name, 'partner',
                               (SELECT json_build_object('name', o.name) FROM "PartnerOrganization" o WHERE o.id = g."partnerId"))
                        FROM "Program" g WHERE g.id = i."programId")) ORDER BY i."createdAt", i.id), '[]')
              FROM "PrescriptionItem" i WHERE i."tenantId" = p."tenantId" AND i."prescriptionId" = p.id) AS items
      FROM "SocialPrescription" p
     ORDER BY p."referredAt" DESC, p.id DESC
     LIMIT $1) x`;

const server = createServer((request, response) => {
  void (async () => {
    const client = await pool.connect();
    try {
      const settings = await settingsOf(request.headers.authorization);
      const names = Object.keys(settings);
      await client.query('BEGIN');
      await client.query(
        `SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
        names.flatMap((n) => [n, settings[n]]),
      );
      const { rows } = await client.query<{ edges: unknown[] }>(dashboard, [Number(new URL(request.url!, 'http://x').searchParams.get('first') ?? 50)]);
      await client.query('COMMIT');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { socialPrescriptions: { edges: rows[0]!.edges } } }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      response.writeHead(500).end(JSON.stringify({ errors: [{ message: String(error) }] }));
    } finally {
      client.release();
    }
  })();
});
server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => {
  server.close();
  void pool.end();
});
