import { PhisealError } from '@phiseal/core';
import { normalizeNumber } from '../number-normalize.js';

// A DynamoDB number as the DB-ESDK serializes it (ddb-attribute-serialization.md "Number":
// normalized the way DynamoDB normalizes; NormalizeNumber.dfy): no exponent, no redundant
// zeros, at most 38 significant digits, magnitude within 1E-130 .. 9.99E+125.

const SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// normalizeNumber's output shape: no exponent, no leading or trailing zeros, no "-0".
const NORMALIZED = /^-?(?:[1-9]\d*(?:\.\d*[1-9])?|0\.\d*[1-9])$/;

function badNumber(): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'A Number value is not a DynamoDB number (at most 38 significant digits, magnitude 1E-130 to 9.99E+125).');
}

/**
 * The normalized spelling of `value`.
 * @throws PhisealError INVALID_ARGUMENT when `value` is not a number DynamoDB stores.
 * @example
 * ```ts
 * numberText('01.50E1'); // '15'
 * ```
 */
export function numberText(value: string): string {
  // Already normalized and short enough to be in range (at most 38 characters: at most 38
  // significant digits, exponent -37 .. 37): as written (most numbers are).
  if (value.length <= 38 && NORMALIZED.test(value)) return value;
  if (!SYNTAX.test(value)) throw badNumber();
  const out = normalizeNumber(value);
  if (out === '0') return out;
  // normalizeNumber leaves absurd exponents as written; DynamoDB's range excludes them.
  if (/[eE]/.test(out)) throw badNumber();
  const unsigned = out.startsWith('-') ? out.slice(1) : out;
  const point = unsigned.indexOf('.');
  const digits = unsigned.replace('.', '');
  const significant = digits.replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length === 0 || significant.length > 38) throw badNumber();
  // Decimal exponent of the leading significant digit.
  const leading = digits.length - digits.replace(/^0+/, '').length;
  const intDigits = point === -1 ? unsigned.length : point;
  const exponent = intDigits - leading - 1;
  if (exponent > 125 || exponent < -130) throw badNumber();
  return out;
}
