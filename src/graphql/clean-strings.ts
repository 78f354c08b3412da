// A Pothos plugin that checks every string argument of every field, inside inputs and lists too,
// before anything else reads it: NUL (which PostgreSQL text cannot hold), other control characters
// and broken UTF-16 answer BAD_USER_INPUT naming the argument, and so does a connection's cursor
// that this API did not make. Tab and newline pass here; the
// single-line rules of shared/fields.ts refuse them where a value is one line (names, titles).
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { badUserInput, type FieldProblem } from './errors.js';

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      cleanStrings: CleanStringsPlugin<Types>;
    }
  }
}

// C0 controls but tab (09) and newline (0A), DEL, C1 controls: matching them is the point.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
// A surrogate without its pair: not a character, and stored as U+FFFD without a word.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a text as text, or null. */
export function textProblem(text: string): string | null {
  if (controlCharacter.test(text)) return 'must not contain control characters (only tab and newline, in free text)';
  if (loneSurrogate.test(text)) return 'is not valid Unicode text';
  return null;
}

function collect(value: unknown, path: string, problems: FieldProblem[]): void {
  if (typeof value === 'string') {
    const message = textProblem(value);
    if (message) problems.push({ field: path, message });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${path}.${index}`, problems));
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== Date.prototype) {
    for (const [key, item] of Object.entries(value)) collect(item, `${path}.${key}`, problems);
  }
}

/** The problems of every string in a field's arguments, by argument path (`input.notes`, `input.goals.2`). */
export function stringProblems(args: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(args)) collect(value, name, problems);
  return problems;
}

// Every connection's cursor is a row id (`cursor: 'id'`), which the Prisma plugin hands out as
// base64 of `GPC:S:<id>`. It decodes any other tag too (a number, a date, bytes) and Prisma then
// fails on the id column; a cursor holding NUL reaches PostgreSQL. Those are the caller's input.
const cursorShape = /^GPC:S:/;

/** What is wrong with a connection's `after` / `before`, or null. */
export function cursorProblem(cursor: string): string | null {
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(cursor) ? Buffer.from(cursor, 'base64').toString() : '';
  return cursorShape.test(decoded) && !textProblem(decoded) ? null : 'is not a cursor of this list';
}

export class CleanStringsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (Object.keys(fieldConfig.args).length === 0) return fieldConfig;
    const isConnection = 'first' in fieldConfig.args && 'after' in fieldConfig.args;
    // First of the argument mappers: before zod trims, or a global id or cursor is decoded.
    const check = (args: Record<string, unknown>) => {
      const problems = stringProblems(args);
      if (isConnection) {
        for (const name of ['after', 'before']) {
          const cursor = args[name];
          const message = typeof cursor === 'string' && !problems.some((p) => p.field === name) ? cursorProblem(cursor) : null;
          if (message) problems.push({ field: name, message });
        }
      }
      if (problems.length > 0) throw badUserInput(problems);
      return args;
    };
    return { ...fieldConfig, argMappers: [check, ...fieldConfig.argMappers] };
  }
}

SchemaBuilder.registerPlugin('cleanStrings', CleanStringsPlugin);
