import type { z } from 'zod';
import { badUserInput } from './errors.js';

/** Parses mutation input with a zod schema; every problem is reported with its field path. */
export function validate<T extends z.ZodType>(schema: T, input: unknown, prefix = 'input'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badUserInput(
    result.error.issues.map((issue) => ({ field: [prefix, ...issue.path].join('.'), message: issue.message })),
  );
}
