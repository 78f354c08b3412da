// Where a webhook may be sent (SSRF guard): HTTPS to public addresses only. The URL is checked when
// it is registered, and every address its name resolves to is checked again when the connection is
// made (a name can resolve to something else later), so no request reaches the private network,
// loopback, link-local (cloud metadata) or other special ranges. With WEBHOOK_ALLOW_HTTP_LOOPBACK
// (tests, local development) loopback is allowed, over http too.
import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const special = new BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  special.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped in hex form (the dotted form is judged as IPv4 below)
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  special.addSubnet(prefix, bits, 'ipv6');
}

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1';

/** Why the address may not be called, or null. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function addressProblem(address: string, allowLoopback: boolean): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip);
  if (family === 0) return `${address} is not an IP address`;
  if (allowLoopback && isLoopback(ip)) return null;
  return special.check(ip, family === 4 ? 'ipv4' : 'ipv6') ? `${address} is a private or special-purpose address` : null;
}

const loopbackNames = /^(localhost|.+\.localhost)$/i;

/** Why the URL cannot be a webhook endpoint, or null. */
export function endpointUrlProblem(raw: string, allowHttpLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = loopbackNames.test(host) || (isIP(host) !== 0 && isLoopback(host));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowHttpLoopback && loopback)) return 'must be an https:// URL';
  if (loopbackNames.test(host)) return allowHttpLoopback ? null : 'must not point at this machine';
  if (isIP(host) !== 0) return addressProblem(host, allowHttpLoopback) && 'must not point at a private or special-purpose address';
  if (!host.includes('.')) return 'must name a public host';
  return null;
}

/** A DNS lookup for the HTTP client that refuses to connect to any address it would not allow. */
export const guardedLookup =
  (allowLoopback: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const problem = addresses.map((a) => addressProblem(a.address, allowLoopback)).find(Boolean);
      if (problem) return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${problem}`), { code: 'EADDRNOTALLOWED' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
