// The Date and DateTime scalars' input rules. JavaScript's Date rolls 2025-02-30 over to March 2nd
// and reads year 0000, which PostgreSQL refuses: a value is checked field by field instead.

/** A scalar value the caller sent that is not one (BAD_USER_INPUT, see server/app.ts formatError). */
export class InvalidScalarValue extends TypeError {
  override name = 'InvalidScalarValue';
}

export const earliestYear = 1900;
export const latestYear = 2100;

const dateShape = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeShape = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The calendar day as midnight UTC, when year, month and day name a real day in range. */
function calendarDay(scalar: string, year: string, month: string, day: string): Date {
  const y = Number(year);
  if (y < earliestYear || y > latestYear) throw new InvalidScalarValue(`${scalar} must be between the years ${earliestYear} and ${latestYear}`);
  const date = new Date(Date.UTC(y, Number(month) - 1, Number(day)));
  // Date.UTC rolls over (February 30th is March 2nd): a real day reads back the same.
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) throw new InvalidScalarValue(`${scalar} must be a real calendar date`);
  return date;
}

/** `YYYY-MM-DD`, a real calendar day between 1900 and 2100, as midnight UTC. */
export function parseDate(value: unknown): Date {
  const parts = typeof value === 'string' ? dateShape.exec(value) : null;
  if (!parts) throw new InvalidScalarValue('Date must be YYYY-MM-DD');
  return calendarDay('Date', parts[1]!, parts[2]!, parts[3]!);
}

/** An ISO 8601 date-time with seconds optional and a time zone (`Z` or `±hh:mm`), on a real day between 1900 and 2100. */
export function parseDateTime(value: unknown): Date {
  const parts = typeof value === 'string' ? dateTimeShape.exec(value) : null;
  if (!parts) throw new InvalidScalarValue('DateTime must be an ISO 8601 date-time with a time zone, such as 2025-03-01T09:30:00Z');
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone] = parts;
  calendarDay('DateTime', year!, month!, day!);
  const zoneHours = zone!.length > 1 ? Number(zone!.slice(1, 3)) : 0;
  const zoneMinutes = zone!.length > 1 ? Number(zone!.slice(4, 6)) : 0;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || zoneHours > 23 || zoneMinutes > 59) {
    throw new InvalidScalarValue('DateTime must be a real time of day (00:00:00 to 23:59:59) and time zone');
  }
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${zone!.toUpperCase()}`);
  if (Number.isNaN(date.getTime())) throw new InvalidScalarValue('DateTime must be an ISO 8601 date-time with a time zone');
  return date;
}
