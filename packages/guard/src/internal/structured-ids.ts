import { codeAt, isAlpha, isDigit, isHex, isLower, lower } from './chars.js';
import { deaValid, vinValid } from './checksums.js';
import { report, type Findings } from './findings.js';
import type { Scan } from './scan.js';
import { S_STRUCTURED } from './tag-bits.js';

// CMS MBI format: 11 characters, position 1 a digit 1-9, positions 2, 5, 8, 9 letters,
// positions 4, 7, 10, 11 digits, positions 3 and 6 either; letters exclude S, L, O, I, B, Z.
// C A AN N A AN N A A N N
const MBI_LAYOUT = 'CAXNAXNAANN';

function mbiLetter(c: number): boolean {
  const l = lower(c);
  return l >= 97 && l <= 122 && l !== 115 && l !== 108 && l !== 111 && l !== 105 && l !== 98 && l !== 122;
}

/** The MBI layout at `s`, bare (`sep` -1) or printed in 4-3-4 groups joined by `sep`. */
function mbiAt(value: string, s: number, sep: number): boolean {
  let i = s;
  for (let k = 0; k < 11; k++) {
    if (sep >= 0 && (k === 4 || k === 7)) {
      if (value.charCodeAt(i) !== sep) return false;
      i++;
    }
    const c = value.charCodeAt(i);
    const want = MBI_LAYOUT.charCodeAt(k);
    const ok = want === 67 ? c >= 49 && c <= 57 : want === 78 ? isDigit(c) : want === 65 ? mbiLetter(c) : isDigit(c) || mbiLetter(c);
    if (!ok) return false;
    i++;
  }
  return true;
}

/** AWS resource ids (`vol-049df61146c4d7901`, `i-0abc...`) are hex after a type prefix. */
function awsResourceId(value: string, s: number, e: number): boolean {
  if (codeAt(value, s - 1) !== 45) return false;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    if (!isHex(c) || (isAlpha(c) && !isLower(c))) return false;
  }
  return true;
}

/** DEA: the second character is the registrant's surname initial, or 9 for a business name. */
function deaSecond(c: number): boolean {
  return isAlpha(c) || c === 57;
}

function mixedCase(value: string, s: number, e: number): boolean {
  let up = false;
  let low = false;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) up = true;
    else if (c >= 97 && c <= 122) low = true;
  }
  return up && low;
}

/**
 * Identifiers with a fixed layout and a check: Medicare MBIs (CMS layout, with or without
 * the printed dashes), DEA registration numbers (check digit) and VINs (ISO 3779 check
 * digit). Each must be a whole alphanumeric segment, so the same characters inside a
 * longer id or digest never match.
 */
export function detectStructuredIds(scan: Scan, out: Findings): void {
  if ((scan.shape & S_STRUCTURED) === 0) return;
  const value = scan.value;
  for (let g = 0; g < scan.segCount; g++) {
    const s = scan.segStart[g] ?? 0;
    const e = scan.segEnd[g] ?? 0;
    const len = e - s;
    // The printed groups are joined by `-`; snake_case names join them by `_` (`9d13_fm6_nd31`).
    const sep = codeAt(value, e);
    if (len === 11 && !mixedCase(value, s, e) && mbiAt(value, s, -1)) report(out, 'mbi', s, e);
    else if (len === 4 && e + 9 <= value.length && (sep === 45 || sep === 95) && (scan.segEnd[g + 1] ?? 0) - (scan.segStart[g + 1] ?? 0) === 3 &&
      (scan.segEnd[g + 2] ?? 0) - (scan.segStart[g + 2] ?? 0) === 4 && !(codeAt(value, s + 13) === sep && isDigit(codeAt(value, s + 14))) && mbiAt(value, s, sep)) {
      report(out, 'mbi', s, s + 13);
      g += 2;
    } else if (len === 9 && isAlpha(value.charCodeAt(s)) && deaSecond(value.charCodeAt(s + 1)) && isDigit(value.charCodeAt(s + 2)) && !mixedCase(value, s, e)) {
      let digits = true;
      for (let i = s + 2; i < e; i++) if (!isDigit(value.charCodeAt(i))) digits = false;
      if (digits && deaValid(value, s)) report(out, 'dea', s, e);
    } else if (len === 17 && !mixedCase(value, s, e) && !awsResourceId(value, s, e) && vinValid(value, s)) report(out, 'vin', s, e);
  }
}
