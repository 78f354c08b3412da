import { decodeGlobalID } from '@pothos/plugin-relay';
import { badUserInput } from './errors.js';

/** The database id inside a global id of the expected type; BAD_USER_INPUT naming the field otherwise. */
export function idOf(globalId: string, typename: string, field: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // fall through: malformed
  }
  throw badUserInput([{ field, message: `must be the id of a ${typename}` }]);
}
