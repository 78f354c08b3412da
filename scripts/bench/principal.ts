// The peers of the benchmark verify the same token as the API and run under the same role and
// transaction-local settings (src/db/principal-settings.ts), so row-level security applies alike.
import { jwtVerify } from 'jose';
import { key } from './support.js';

export async function settingsOf(authorization: string | undefined): Promise<Record<string, string>> {
  const { payload } = await jwtVerify((authorization ?? '').replace(/^Bearer /, ''), key);
  const tenant = typeof payload.tenant === 'string' ? payload.tenant : '';
  const roles = Array.isArray(payload.roles) ? payload.roles.join(',') : '';
  return {
    role: 'rx_app',
    'app.principal_kind': 'STAFF',
    'app.tenant_id': tenant,
    'app.partner_id': '',
    'app.roles': roles,
    'app.scopes': '',
    'app.subject': payload.sub ?? '',
    statement_timeout: '30000',
    idle_in_transaction_session_timeout: '30000',
  };
}

export const ready = (url: string) => console.log(JSON.stringify({ level: 30, msg: 'ready', url }));
