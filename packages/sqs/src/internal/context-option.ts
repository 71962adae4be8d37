import { invalidArgument } from './errors.js';
import { checkCallerContext } from './sealed-binding.js';

/**
 * A caller's `context` option: undefined or a plain object of strings. Anything else (a
 * string would spread into `{ 0: 'a', 1: 'b', ... }`) is refused rather than reinterpreted,
 * and so is phiseal's reserved key (sealed-binding.ts).
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function contextOption(value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalidArgument('context must be an object of string keys and values.');
  }
  checkCallerContext(value as Readonly<Record<string, string>>);
  return value as Readonly<Record<string, string>>;
}
