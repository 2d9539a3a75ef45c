// Zod building blocks whose error texts are written for people: every issue a config can raise gets its message
// here or in rules.ts, so formatIssues only has to put the path in front.
import { z } from 'zod';
import { quote } from './rules.js';

type Check<T> = (value: T) => string | undefined;

/** How a wrong-typed value is named in "must be … (got …)". */
export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return quote(value);
}

function typed<T>(isType: (v: unknown) => v is T, typeName: string, check?: Check<T>, required = 'required') {
  return z.custom<T>().superRefine((value, ctx) => {
    let message: string | undefined;
    if (value === undefined) message = required;
    else if (!isType(value)) message = `must be ${typeName} (got ${describe(value)})`;
    else message = check?.(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

export function str(check?: Check<string>, required?: string) {
  return typed(isString, 'a string', check, required);
}

export function num(check?: Check<number>, required?: string) {
  return typed(isNumber, 'a number', check, required);
}

export function bool() {
  return typed(isBoolean, 'true or false');
}

/** One of a fixed list; the message lists what is allowed. */
export function oneOf<const T extends readonly string[]>(values: T) {
  const allowed = values.join(', ');
  const isOne = (v: unknown): v is T[number] => typeof v === 'string' && values.includes(v);
  return z.custom<T[number]>().superRefine((value, ctx) => {
    if (isOne(value)) return;
    const message =
      value === undefined ? `required (one of ${allowed})` : `${describe(value)} is not allowed (${allowed})`;
    ctx.addIssue({ code: 'custom', message });
  });
}

/** A mapping that rejects unknown keys, naming the allowed ones. */
export function strict<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown key (allowed: ${allowed})`;
      if (issue.input === undefined) return 'required';
      return `must be a mapping (got ${describe(issue.input)})`;
    },
  });
}

export function list<T extends z.ZodType>(item: T, emptyMessage: string) {
  return z
    .array(item, {
      error: (issue) =>
        issue.input === undefined ? 'required' : `must be a list (got ${describe(issue.input)})`,
    })
    .min(1, { error: emptyMessage });
}

/** A string → string mapping whose keys and values are each checked (label selectors). */
export function stringMap(checkKey: Check<string>, checkValue: Check<string>, emptyMessage: string) {
  return z.custom<Record<string, string>>().superRefine((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `must be a mapping (got ${describe(value)})` });
      return;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: emptyMessage });
    for (const [key, v] of entries) {
      const message =
        checkKey(key) ?? (typeof v === 'string' ? checkValue(v) : `must be a string (got ${describe(v)})`);
      if (message) ctx.addIssue({ code: 'custom', message, path: [key] });
    }
  });
}
