// Lists of a lockable category leave out the rows of clients who lock-boxed it from the caller.
// Returning them with null fields would still let filters and row counts tell which instruments
// were recorded when: a withheld category is neither readable, filterable nor countable.
import type { Prisma } from '../generated/prisma/client.js';
import type { RecordCategory } from '../generated/prisma/enums.js';
import type { GraphQLContext } from '../graphql/context.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';

/** A `where` part for rows of a client's record: only clients who have not locked `category` from this caller. */
export async function notLockedFromCaller(ctx: GraphQLContext, category: RecordCategory): Promise<{ client: Prisma.ClientWhereInput }> {
  const staffId = (await findCallerStaffRecord(ctx))?.id;
  const withheldFromCaller = staffId ? { NOT: { allowedStaffIds: { has: staffId } } } : {};
  return { client: { locks: { none: { category, releasedAt: null, ...withheldFromCaller } } } };
}
