// Input rules shared by the directory's entries: assets, programs, partners, Health Champions.
import { z } from 'zod';

// Control characters and NUL are refused in every string argument (graphql/clean-strings.ts); tab
// and newline pass there, for free text (notes, descriptions). A one-line value (a name, a title, a
// list entry) refuses them too.
const noTabsOrBreaks = (text: string) => !/[\t\n]/.test(text);
/** A one-line text rule: no tab, no line break. */
export const oneLine = <T extends z.ZodString>(rule: T) => rule.refine(noTabsOrBreaks, 'must be one line (no tabs or line breaks)');

export const requiredText = (max: number) => oneLine(z.string().trim().min(1, 'is required').max(max, `is longer than ${max} characters`));
export const optionalText = (max: number) => oneLine(z.string().trim().max(max, `is longer than ${max} characters`)).nullish();
/** Several lines allowed (tabs and newlines kept). */
export const optionalFreeText = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`).nullish();
export const textList = z.array(oneLine(z.string().trim().min(1, 'must not be empty').max(200))).max(30);

export const languageCodes = z.array(z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 code such as "en" or "fr"')).max(20);
export const webAddress = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'is not a web address (http or https)' });
export const emailAddress = z.email('is not an email address');
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^[+()\d .-]{7,20}$/, 'is not a phone number');
export const canadianPostalCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, 'is not a Canadian postal code')
  .transform((code) => `${code.slice(0, 3)} ${code.slice(-3)}`.toUpperCase());
export const latitude = z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
export const longitude = z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');

/** The text with LIKE's wildcards (`%`, `_`) and escape (`\\`) escaped: Prisma's `contains` and `startsWith` are LIKE underneath. */
export const literalLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');
/** A column condition: contains the text as typed (`%` and `_` are characters), ignoring case. */
export const containing = (text: string) => ({ contains: literalLike(text), mode: 'insensitive' as const });
/** A column condition: starts with the text as typed, ignoring case. */
export const startingWith = (text: string) => ({ startsWith: literalLike(text), mode: 'insensitive' as const });

/** A where fragment for a text search: any of the fields contains the text, ignoring case. */
export const containsText = (fields: readonly string[], text: string) => ({
  OR: fields.map((field) => ({ [field]: containing(text) })),
});
