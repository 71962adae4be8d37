import { PhisealError } from '@phiseal/core';

// A lone surrogate (half of a UTF-16 pair) is not Unicode text: UTF-8 writes it as U+FFFD,
// so two different names or values would share one encoding, and what is stored would not
// read back as what was signed (issue #11, defect 7).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` has no lone surrogate, so UTF-8 holds it exactly.
 * @throws never
 * @example
 * ```ts
 * isWellFormed('a\uD800'); // false
 * ```
 */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/**
 * Refuses a string that is not well-formed Unicode.
 * @throws PhisealError INVALID_ARGUMENT (`what` names the kind of string, never its value).
 * @example
 * ```ts
 * requireWellFormed(name, 'An attribute name');
 * ```
 */
export function requireWellFormed(value: string, what: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new PhisealError('INVALID_ARGUMENT', `${what} is not well-formed Unicode (it has a lone surrogate).`);
  }
}
