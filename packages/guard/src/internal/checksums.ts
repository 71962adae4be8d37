import { isDigit, lower } from './chars.js';

/**
 * Luhn (ISO/IEC 7812-1) over the digits of `value[start..end)`, optionally preceded by a
 * constant prefix sum. Skips nothing: callers pass pure digit runs.
 */
export function luhnValid(value: string, start: number, end: number, prefixDigits = ''): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    let d = value.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  for (let i = prefixDigits.length - 1; i >= 0; i--) {
    let d = prefixDigits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * NPI check digit: CMS specifies the Luhn algorithm over the 10 digits prefixed with
 * 80840 (the ISO 7812 issuer prefix for US health applications). First digit is 1 or 2.
 */
export function npiValid(value: string, start: number): boolean {
  const first = value.charCodeAt(start);
  if (first !== 49 && first !== 50) return false;
  return luhnValid(value, start, start + 10, '80840');
}

/**
 * DEA registration number: two letters then seven digits; the check digit is the last digit
 * of (d1 + d3 + d5) + 2 * (d2 + d4 + d6). The first letter is a registrant type
 * (A, B, F, G for practitioners and hospitals; M for mid-levels; P-U, X for others).
 */
export function deaValid(value: string, start: number): boolean {
  const type = lower(value.charCodeAt(start));
  // a b c d e f g h j k l m p r s t u x
  if ('abcdefghjklmprstux'.indexOf(String.fromCharCode(type)) < 0) return false;
  let odd = 0;
  let even = 0;
  for (let k = 0; k < 6; k++) {
    const d = value.charCodeAt(start + 2 + k) - 48;
    if (k % 2 === 0) odd += d;
    else even += d;
  }
  return (odd + 2 * even) % 10 === value.charCodeAt(start + 8) - 48;
}

// ISO 3779 transliteration: letters map to 1-9 skipping I, O, Q (never used in a VIN).
const VIN_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, -1, 1, 2, 3, 4, 5, -1, 7, -1, 9, 2, 3, 4, 5, 6, 7, 8, 9];
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * VIN (49 CFR 565): 17 characters without I, O, Q; position 9 is a check digit (weighted sum
 * mod 11, 10 written as X); position 10, the model year, is never 0, U or Z.
 */
export function vinValid(value: string, start: number): boolean {
  let sum = 0;
  let letters = 0;
  let digits = 0;
  for (let k = 0; k < 17; k++) {
    const c = lower(value.charCodeAt(start + k));
    let v: number;
    if (isDigit(c)) {
      v = c - 48;
      digits++;
    } else if (c >= 97 && c <= 122) {
      v = VIN_VALUES[c - 97] ?? -1;
      letters++;
    } else return false;
    if (v < 0) return false;
    sum += v * (VIN_WEIGHTS[k] ?? 0);
  }
  if (letters < 2 || digits < 5) return false;
  const year = lower(value.charCodeAt(start + 9));
  if (year === 48 || year === 117 || year === 122) return false;
  const check = sum % 11;
  const c9 = lower(value.charCodeAt(start + 8));
  return check === 10 ? c9 === 120 : c9 === 48 + check;
}
