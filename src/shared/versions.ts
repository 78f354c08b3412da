// Optimistic concurrency, the same for every update*: the caller names the version it read; a
// stale one answers CONFLICT, and the write itself is conditional on that version, so of two
// concurrent writers only one matches the row.
import { z } from 'zod';
import type { builder } from '../graphql/builder.js';
import { conflict } from '../graphql/errors.js';

/** The fields every update* input starts with. */
export const versionedChange = { id: z.string(), expectedVersion: z.number().int() };

/** The rules of an update* input: any of the entity's fields, and which version it changes. */
export const changeRules = <S extends z.ZodRawShape>(fields: S) => ({ ...z.object(fields).partial().shape, ...versionedChange });

/** CONFLICT when the caller's copy is stale. */
export function checkVersion(what: string, current: { version: number }, expectedVersion: number) {
  if (current.version !== expectedVersion) {
    throw conflict(`The ${what} is at version ${current.version}, not ${expectedVersion}: reload it and try again`);
  }
}

/** CONFLICT when a write conditional on the version read matched no row: someone saved first. */
export function checkSaved(what: string, { count }: { count: number }) {
  if (count !== 1) throw conflict(`The ${what} changed while you were saving: reload it and try again`);
}

/** The data of a conditional write: the changes, and the next version. */
export const nextVersion = <T extends object>(changes: T) => ({ ...changes, version: { increment: 1 } });

type InputFields = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

/** The GraphQL side of `versionedChange`: which row, and the version the caller read. */
export const versionedChangeFields = (t: InputFields, what: string) => ({
  id: t.id({ required: true, description: `The ${what}.` }),
  expectedVersion: t.int({ required: true, description: 'The version you read; a stale one answers CONFLICT.' }),
});
