import { z } from 'zod';
import { badUserInput } from './errors.js';

type Issue = { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] };

/** The validation plugin's failure: each issue's path starts at the argument (`input.items.2`). */
export function inputError(failure: { issues: readonly Issue[] }) {
  return badUserInput(
    failure.issues.map((issue) => ({
      field: (issue.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key)).join('.'),
      message: issue.message,
    })),
  );
}

export const notFuture = z.date().refine((d) => d.getTime() <= Date.now(), 'cannot be in the future');

/**
 * The rules of an input type (its `validate:`), keyed by field, and one across its fields if any; fields
 * without a rule pass as they are. On the type rather than on each field: the plugin stops at the first
 * field that fails, and a caller is told every problem at once.
 */
export function inputRules<S extends z.ZodRawShape, T = unknown>(
  shape: S,
  check?: (input: T, issues: z.RefinementCtx) => void,
): z.ZodType<z.output<z.ZodObject<S, z.core.$loose>>> {
  const rules = z.looseObject(shape);
  return check ? rules.superRefine((input, issues) => check(input as T, issues)) : rules;
}
