// Which failures are the database's (unreachable, overloaded, too slow) rather than a bug: those
// answer SERVICE_UNAVAILABLE or TIMEOUT with 503, whichever step of a request met them.
export type DatabaseFailure = 'SERVICE_UNAVAILABLE' | 'TIMEOUT';

// Prisma's codes (P…), PostgreSQL's SQLSTATEs and classes (08: connection, 57P: shut down, 53300:
// too many connections), Node's socket errors, and the driver adapters' error kinds.
const timeouts = new Set(['57014', 'P1008', 'SocketTimeout', 'ETIMEDOUT']);
const unavailable = new Set([
  'P1001',
  'P1002',
  'P1017',
  'P2024',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EPIPE',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  'DatabaseNotReachable',
  'ConnectionClosed',
  'TooManyConnections',
]);

/** The codes and kinds found on an error and on everything it wraps. */
export function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (!error || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const e = error as Record<string, unknown> & { meta?: Record<string, unknown> };
  const own = [e.code, e.kind, e.originalCode].filter((value): value is string => typeof value === 'string');
  return [...own, ...[e.cause, e.originalError, e.meta?.driverAdapterError].flatMap((inner) => codesOf(inner, seen))];
}

export function databaseFailure(error: unknown): DatabaseFailure | null {
  const codes = codesOf(error);
  if (codes.some((code) => timeouts.has(code))) return 'TIMEOUT';
  if (codes.some((code) => unavailable.has(code) || code.startsWith('08'))) return 'SERVICE_UNAVAILABLE';
  const message = error instanceof Error ? error.message : '';
  // Prisma reports a transaction it could not start in time (all connections busy) only in words.
  if (/Unable to start a transaction in the given time|Timed out fetching a new connection/.test(message)) return 'SERVICE_UNAVAILABLE';
  if (/statement timeout|connection timeout/.test(message)) return 'TIMEOUT';
  return null;
}
