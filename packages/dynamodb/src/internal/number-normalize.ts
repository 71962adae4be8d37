// DynamoDB stores numbers in a normalized form (leading and trailing zeros trimmed, no
// exponent), so a number read back may be spelled differently from the one written. The
// signature covers the normalized spelling, or every `sign` number like "1.50" would fail
// verification after a round trip.

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
// DynamoDB's range is 1E-130 .. 9.9E+125; anything far outside is left as written (the
// service rejects it anyway) so a hostile exponent cannot make us build a huge string.
const MAX_EXPONENT = 400;

/**
 * The plain decimal spelling of a DynamoDB number: no exponent, no redundant zeros, no `-0`. Invalid input is returned unchanged.
 * @throws never
 * @example
 * ```ts
 * normalizeNumber('01.50E1'); // '15'
 * ```
 */
export function normalizeNumber(value: string): string {
  const m = NUMBER.exec(value.trim());
  if (!m) return value;
  const [, sign = '', intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return value;
  let digits = intPart + fracPart;
  let exponent = (expPart === undefined ? 0 : Number(expPart)) - fracPart.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  if (Math.abs(exponent) > MAX_EXPONENT) return value;
  let out: string;
  if (exponent >= 0) out = digits + '0'.repeat(exponent);
  else {
    const point = digits.length + exponent;
    out = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return sign === '-' ? `-${out}` : out;
}
