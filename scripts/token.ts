// npm run token -- --tenant guelph --role LINK_WORKER
//                  --network ALLIANCE_ANALYST
//                  --partner teamcare --scope "referrals:create referrals:read"
//                  [--sub SUBJECT] [--name NAME] [--email EMAIL] [--ttl SECONDS]
// Prints only a signed token for the development secret (or JWT_SECRET when set).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { resolveKeySource, signToken, type TokenRequest } from '../src/auth/tokens.js';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    role: { type: 'string', multiple: true },
    network: { type: 'string', multiple: true },
    partner: { type: 'string' },
    scope: { type: 'string', default: '' },
    sub: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
  },
});

const config = loadConfig();
const source = await resolveKeySource(config, (file) => console.error(`created development token secret ${file}`));
if (source.kind !== 'secret') {
  console.error('This server verifies tokens with a public key; sign them with your identity provider.');
  process.exit(2);
}
let request: TokenRequest;
if (values.tenant && values.role?.length) request = { tenant: values.tenant, roles: values.role, subject: values.sub, name: values.name, email: values.email };
else if (values.network?.length) request = { network: values.network, subject: values.sub };
else if (values.partner) request = { partner: values.partner, scope: values.scope, subject: values.sub };
else {
  console.error(
    'usage: npm run token -- --tenant <site> --role <ROLE> | --network <ROLE> | --partner <id> --scope "<scopes>" [--sub S] [--name N] [--email E] [--ttl SECONDS]',
  );
  process.exit(2);
}
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
  console.error('--ttl must be a positive number of seconds');
  process.exit(2);
}
console.log(await signToken(source.secret, request, { ttlSeconds, issuer: config.jwt.issuer, audience: config.jwt.audience }));
