// FHIR search parameters of the facade: _lastUpdated (with its prefixes), status, _count, _offset.
// Anything else answers 400: a filter the server ignored would hand the partner more than it asked for.
import type { Prisma } from '../generated/prisma/client.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { badUserInput } from '../graphql/errors.js';
import { statusesFor } from './codes.js';
import type { ReferralSearch } from './referrals.js';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

type Query = Record<string, string | string[] | undefined>;

const all = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const invalid = (field: string, message: string) => badUserInput([{ field, message }]);

const DAY_MS = 86_400_000;
const lastUpdatedPattern = /^(eq|gt|ge|lt|le)?(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * One `_lastUpdated` value as a bound. A date alone is a whole day (UTC), a time without fractions a
 * whole second, as FHIR reads a value by its precision: `gt2026-03-01` is from 2 March on.
 */
export function lastUpdatedBound(value: string): Prisma.DateTimeFilter {
  const match = lastUpdatedPattern.exec(value);
  const start = match ? new Date(`${match[2]}${match[3] ?? 'T00:00:00Z'}`) : null;
  if (!match || !start || Number.isNaN(start.getTime())) {
    throw invalid('_lastUpdated', 'must be a date or date-time with an optional prefix eq, gt, ge, lt or le (for example ge2026-03-01)');
  }
  const width = !match[3] ? DAY_MS : match[4] ? 1 : 1_000;
  const end = new Date(start.getTime() + width);
  switch (match[1] ?? 'eq') {
    case 'gt':
      return { gte: end };
    case 'ge':
      return { gte: start };
    case 'lt':
      return { lt: start };
    case 'le':
      return { lt: end };
    default:
      return { gte: start, lt: end };
  }
}

function integer(query: Query, name: string, min: number, max: number, fallback: number) {
  const values = all(query[name]);
  if (values.length === 0) return fallback;
  const value = Number(values[0]);
  if (values.length > 1 || !Number.isInteger(value) || value < min || value > max) throw invalid(name, `must be a whole number from ${min} to ${max}`);
  return value;
}

/** The search a query string asks for, against the status codes of the resource searched. */
export function parseSearch(query: Query, statusTable: Record<ReferralStatus, string>): ReferralSearch {
  for (const name of Object.keys(query)) {
    if (!['_lastUpdated', 'status', 'identifier', '_count', '_offset'].includes(name)) throw invalid(name, 'is not a search parameter this server supports');
  }
  const statusCodes = all(query.status).flatMap((v) => v.split(','));
  const known = new Set(Object.values(statusTable));
  const unknown = statusCodes.filter((code) => !known.has(code));
  if (unknown.length) throw invalid('status', `unknown status ${unknown.join(', ')}; one of ${[...known].join(', ')}`);
  let statuses: ReferralStatus[] | undefined;
  // Repeated status parameters must all hold (AND); the codes of one parameter are alternatives (OR).
  for (const value of all(query.status)) {
    const these = statusesFor(statusTable, value.split(','));
    statuses = statuses ? statuses.filter((s) => these.includes(s)) : these;
  }
  const identifiers = all(query.identifier);
  if (identifiers.length > 1) throw invalid('identifier', 'may be given once');
  // A token: `value` or `system|value`; the system of a partner's identifier is not kept, only its value.
  const identifier = identifiers[0]?.split('|').pop();
  if (identifiers.length && !identifier) throw invalid('identifier', 'must name a value (value or system|value)');
  return {
    statuses,
    ...(identifier ? { identifier } : {}),
    updated: all(query._lastUpdated).map(lastUpdatedBound),
    count: integer(query, '_count', 1, MAX_COUNT, DEFAULT_COUNT),
    offset: integer(query, '_offset', 0, 1_000_000, 0),
  };
}
