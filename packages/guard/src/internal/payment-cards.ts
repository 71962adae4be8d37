import { codeAt, digitRun, follows, isAlnum, isDigit } from './chars.js';
import { report, type Findings } from './findings.js';

const DASH = 45;
const SPACE = 32;
const UNDERSCORE = 95;

// Issuer prefixes (ISO/IEC 7812 IINs as published by the networks) and their lengths.
function cardPrefixOk(d: Uint8Array, n: number): boolean {
  const p2 = (d[0] ?? 0) * 10 + (d[1] ?? 0);
  const p3 = p2 * 10 + (d[2] ?? 0);
  const p4 = p3 * 10 + (d[3] ?? 0);
  if (d[0] === 4) return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || p2 === 62) return n >= 16 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19;
  return false;
}

const cardDigits = new Uint8Array(20);

/** A payment card: 13-19 digits bare or in 4-4-4-4 / 4-6-5 groups, known IIN, Luhn-valid. */
function cardAt(value: string, p: number): number {
  let n = 0;
  let j = p;
  let sep = -1;
  let groups = 0;
  while (j < value.length) {
    const run = digitRun(value, j);
    if (run === 0 || n + run > 19) return -1;
    for (let k = 0; k < run; k++) cardDigits[n++] = value.charCodeAt(j + k) - 48;
    groups++;
    j += run;
    const c = codeAt(value, j);
    if (groups === 1 && (c === SPACE || c === DASH || c === UNDERSCORE) && run === 4 && isDigit(codeAt(value, j + 1))) sep = c;
    if (sep !== -1 && c === sep && isDigit(codeAt(value, j + 1)) && groups < 5) {
      j++;
      continue;
    }
    break;
  }
  if (n < 13 || isDigit(codeAt(value, j))) return -1;
  if (!cardPrefixOk(cardDigits, n)) return -1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    let d = cardDigits[n - 1 - k] ?? 0;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0 ? j : -1;
}

/**
 * A payment card starting at the digit run `value[p..p+run)` (13-19 digits, or a 4-digit group
 * before a separator), unless glued to letters or chained after another digit group.
 */
export function paymentCardAt(value: string, p: number, run: number, after: number, out: Findings): void {
  if (isAlnum(after) && run >= 13) return;
  if (follows(value, p, DASH) || follows(value, p, UNDERSCORE)) return;
  const end = cardAt(value, p);
  if (end > 0 && !isAlnum(codeAt(value, end))) report(out, 'payment-card', p, end);
}
