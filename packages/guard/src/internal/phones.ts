import { codeAt, continues, digitRun, isAlnum, isDigit, numberAt } from './chars.js';

// Telephone and fax numbers (Safe Harbor (D), (E)): NANP (ATIS-0300076) and E.164 (ITU-T)
// shapes, read by detectNumbers (numbers.ts) at a digit group.

const DASH = 45;
const DOT = 46;
const SPACE = 32;
const OPEN = 40;
const CLOSE = 41;
const UNDERSCORE = 95;

/** NANP toll-free area codes: numbers of organisations, never a patient's own line. */
function tollFree(area: number): boolean {
  return area === 800 || area === 833 || area === 844 || area === 855 || area === 866 || area === 877 || area === 888;
}

/** A character joining digit groups: `-`, `.`, space, and `_` in snake_case names (`ssn_123_45_6789`, `fax_617_555_0142`). */
export function isJoiner(c: number): boolean {
  return c === DASH || c === DOT || c === SPACE || c === UNDERSCORE;
}

/**
 * NANP numbers (ATIS-0300076): area code and exchange both start 2-9, and an area code
 * never ends in 11 (N11 codes are service codes). Accepts `(AAA) EEE-LLLL`, `AAA-EEE-LLLL`
 * with one consistent separator, and bare `AAAEEELLLL` only when `bare` is allowed.
 * Returns the end offset or -1.
 */
export function nanpAt(value: string, i: number, bare: boolean): number {
  let j = i;
  let areaStart: number;
  let sep: number;
  if (codeAt(value, i) === OPEN) {
    if (digitRun(value, i + 1) !== 3 || codeAt(value, i + 4) !== CLOSE) return -1;
    areaStart = i + 1;
    j = i + 5;
    const c = codeAt(value, j);
    if (c === SPACE || c === DASH) j++;
    if (digitRun(value, j) !== 3) return -1;
    sep = codeAt(value, j + 3);
    if (!isJoiner(sep)) return -1;
  } else {
    const run = digitRun(value, i);
    areaStart = i;
    if (run === 10 && bare) {
      sep = -1;
      j = i + 3;
    } else {
      if (run !== 3) return -1;
      sep = codeAt(value, i + 3);
      if (!isJoiner(sep)) return -1;
      j = i + 4;
      if (digitRun(value, j) !== 3 || codeAt(value, j + 3) !== sep) return -1;
    }
  }
  const lineStart = sep === -1 ? j + 3 : j + 4;
  if (sep !== -1 && digitRun(value, lineStart) !== 4) return -1;
  const end = lineStart + 4;
  if (isDigit(codeAt(value, end)) || (sep !== -1 && continues(value, end, sep))) return -1;
  const area = numberAt(value, areaStart, 3);
  const exchange = numberAt(value, j, 3);
  if (area < 200 || area % 100 === 11 || exchange < 200 || tollFree(area)) return -1;
  return end;
}

/**
 * E.164 (ITU-T): `+`, a country code and at most 15 digits in all, optionally grouped by
 * single spaces, dashes or dots. `+1` numbers must also be valid NANP numbers.
 */
export function e164At(value: string, plus: number): number {
  const first = codeAt(value, plus + 1);
  if (first === 49) {
    let j = plus + 2;
    const c = codeAt(value, j);
    if (c === SPACE || c === DASH || c === DOT) j++;
    return nanpAt(value, j, true);
  }
  if (first < 50 || first > 57) return -1;
  let digits = 0;
  let j = plus + 1;
  let end = -1;
  while (j < value.length && digits <= 15) {
    const c = value.charCodeAt(j);
    if (isDigit(c)) {
      digits++;
      j++;
      end = j;
    } else if ((c === SPACE || c === DASH || c === DOT) && isDigit(codeAt(value, j + 1))) j++;
    else break;
  }
  return digits >= 8 && digits <= 15 ? end : -1;
}

// ITU-T E.164 country codes: 1 and 7; the two-digit codes; the two-digit prefixes of the
// three-digit codes (zone 2 outside 20/27, 35x, 37x, 38x, 42x, 50x, 59x, 67x-69x, 80x, 85x,
// 87x, 88x, 96x, 97x, 99x).
const CC2 = new Set([20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98]);
const CC3 = new Set([21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 80, 85, 87, 88, 96, 97, 99]);

function countryCode(value: string, p: number, run: number): boolean {
  if (run === 1) return value.charCodeAt(p) === 55;
  const two = numberAt(value, p, 2);
  return run === 2 ? CC2.has(two) : run === 3 && CC3.has(two);
}

/**
 * An E.164 number whose `+` became the separator of a slug (`_49_30_96684404`,
 * `tenant--44-20-6565-3712`): at `p` an E.164 country code, then groups joined by that
 * same separator, 9-15 digits in all; `1` numbers must be valid NANP numbers. The separator
 * before `p` starts the value or follows another separator (where the `+` stood).
 */
export function sluggedE164At(value: string, p: number, sep: number): number {
  if (value.charCodeAt(p) === 48) return -1;
  if (value.charCodeAt(p) === 49 && codeAt(value, p + 1) === sep) return nanpAt(value, p + 2, false);
  let digits = 0;
  let groups = 0;
  let j = p;
  for (;;) {
    const run = digitRun(value, j);
    if (run === 0 || (groups === 0 && !countryCode(value, j, run))) return -1;
    digits += run;
    groups++;
    j += run;
    if (codeAt(value, j) !== sep || !isDigit(codeAt(value, j + 1))) break;
    j++;
  }
  return groups >= 3 && digits >= 9 && digits <= 15 && !isAlnum(codeAt(value, j)) ? j : -1;
}
