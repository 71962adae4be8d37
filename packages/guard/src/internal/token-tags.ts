import { AGE_MAX, AGE_MIN, BIRTH_YEAR_FIRST, LAST_RISKY_BIRTH_YEAR } from './ages.js';
import { codeAt, isAlpha, isDigit, isUpper } from './chars.js';
import { L_CITY, L_MONTH } from './labels.js';
import { ALPHA, DIGIT, type Scan } from './scan.js';
import { isStreetSuffix } from './street-addresses.js';
import { S_AGE, S_CITY, S_DATE, S_DOTTED, S_LABEL, S_MAC, S_NUMBER, S_STREET, S_STRUCTURED, T_DATE, T_NUMBER } from './tag-bits.js';

// One tagging pass over the tokens and segments of a scan, run once per check right after
// the scan. Each bit is a NECESSARY condition for one detector to find anything: a detector
// whose bit is clear returns at once (or skips the token), instead of walking every token
// to reject them one by one. Most keys carry no dotted numbers, no ages, no MAC-shaped hex
// pairs and no labels, so most detectors cost one test. The findings cannot change: each
// condition below restates the first tests of its detector, widened, never narrowed; an
// equivalence test compares every detector with and without its gate (token-tags.test.ts).

function isJoiner(c: number): boolean {
  return c === 45 || c === 46 || c === 32 || c === 95;
}

function isDateSep(c: number): boolean {
  return c === 45 || c === 47 || c === 46 || c === 95;
}

function numberTag(value: string, p: number, run: number, prev: number, after: number): number {
  const yes =
    prev === 43 || prev === 40 || run === 9 || run === 10 || run === 11 || (run >= 13 && run <= 19) ||
    (run === 3 && isJoiner(after)) || (run === 1 && value.charCodeAt(p) === 49 && isJoiner(after)) ||
    (run === 5 && (after === 45 || after === 95)) || (run === 4 && (after === 32 || after === 45 || after === 95));
  return yes ? T_NUMBER : 0;
}

/** A number of 1-4 digits in the age range, or a year that implies an age over 89. */
function ageShaped(value: string, p: number, run: number): boolean {
  let n = 0;
  for (let k = 0; k < run; k++) n = n * 10 + (value.charCodeAt(p + k) - 48);
  return run === 4 ? n >= BIRTH_YEAR_FIRST && n <= LAST_RISKY_BIRTH_YEAR : n >= AGE_MIN && n <= AGE_MAX;
}

function segmentShape(scan: Scan, g: number): number {
  const value = scan.value;
  const s = scan.segStart[g] ?? 0;
  const e = scan.segEnd[g] ?? 0;
  const len = e - s;
  const after = codeAt(value, e);
  let shape = 0;
  if (scan.segHex[g] === 1 && ((len === 2 && (after === 58 || after === 45)) || (len === 4 && after === 46))) shape |= S_MAC;
  // A dashed MBI is 4-3-4 (the segment after a non-last one is current; after the last, anything).
  if (len === 11 || len === 17 || (len === 4 && after === 45 && (g + 1 >= scan.segCount || (scan.segEnd[g + 1] ?? 0) - (scan.segStart[g + 1] ?? 0) === 3))) shape |= S_STRUCTURED;
  else if (len === 9 && isAlpha(value.charCodeAt(s)) && isDigit(value.charCodeAt(s + 2))) shape |= S_STRUCTURED;
  return shape;
}

/** Fills `scan.tag` and `scan.shape` (see the bits above). Runs after the scan's labels and words are final. */
export function tagTokens(scan: Scan): void {
  const value = scan.value;
  let shape = 0;
  let house = false;
  for (let t = 0; t < scan.count; t++) {
    let tag = 0;
    const kind = scan.kind[t];
    if (kind === DIGIT) {
      const p = scan.start[t] ?? 0;
      const e = scan.end[t] ?? 0;
      const run = e - p;
      const after = codeAt(value, e);
      tag = numberTag(value, p, run, codeAt(value, p - 1), after);
      if (run === 8 || ((run === 1 || run === 2 || run === 4) && isDateSep(after))) tag |= T_DATE;
      else if (run <= 2 && t + 1 < scan.count && scan.kind[t + 1] === ALPHA && ((scan.label[t + 1] ?? 0) & L_MONTH) !== 0) tag |= T_DATE;
      if (run <= 3 && after === 46 && isDigit(codeAt(value, e + 1))) shape |= S_DOTTED;
      if (run <= 4 && ageShaped(value, p, run)) shape |= S_AGE;
      if (run <= 6) house = true;
    } else if (kind === ALPHA) {
      const label = scan.label[t] ?? 0;
      if (label !== 0) {
        shape |= S_LABEL;
        if ((label & L_MONTH) !== 0) tag |= T_DATE;
        if ((label & L_CITY) !== 0) shape |= S_CITY;
      }
      const w = scan.words[t];
      if (w !== undefined && (shape & S_STREET) === 0) {
        if ((house && isStreetSuffix(w)) || w === 'po') shape |= S_STREET;
        else if (w.length === 2 && scan.kind[t + 1] === DIGIT) {
          const p = scan.start[t] ?? 0;
          if (isUpper(value.charCodeAt(p)) && isUpper(value.charCodeAt(p + 1))) shape |= S_STREET;
        }
      }
    }
    scan.tag[t] = tag;
    if (tag & T_NUMBER) shape |= S_NUMBER;
    if (tag & T_DATE) shape |= S_DATE;
  }
  for (let g = 0; g < scan.segCount; g++) shape |= segmentShape(scan, g);
  scan.shape = shape;
}
