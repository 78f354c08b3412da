import { builder } from './builder.js';

/** A GraphQL enum over a Prisma enum, with a description for every value (the type checks all are given). */
export function describedEnum<const Values extends string>(name: string, description: string, values: Record<Values, string>) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(Object.entries<string>(values).map(([value, text]) => [value, { value, description: text }])) as Record<
      Values,
      { value: Values; description: string }
    >,
  });
}
