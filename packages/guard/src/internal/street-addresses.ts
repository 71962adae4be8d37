import { codeAt, isAlnum, isDigit } from './chars.js';
import { report, type Findings } from './findings.js';
import type { Scan } from './scan.js';
import { ALPHA, DIGIT } from './token-kinds.js';
import { S_STREET } from './tag-bits.js';

// USPS Publication 28, appendix C1: the common street suffixes and their abbreviations.
const SUFFIXES = new Set([
  'street', 'st', 'avenue', 'ave', 'av', 'road', 'rd', 'boulevard', 'blvd', 'drive', 'dr', 'lane', 'ln', 'way', 'court', 'ct',
  'place', 'pl', 'terrace', 'ter', 'circle', 'cir', 'parkway', 'pkwy', 'highway', 'hwy', 'trail', 'trl', 'square', 'sq',
  'plaza', 'plz', 'alley', 'aly', 'crescent', 'cres', 'loop', 'pike', 'walk', 'expressway', 'expy', 'turnpike', 'tpke',
]);
/** The USPS street suffixes (`st`, `avenue`); for the scan's tagging (token-tags.ts). */
export function streetSuffixes(): Iterable<string> {
  return SUFFIXES;
}
const ORDINAL = new Set(['st', 'nd', 'rd', 'th']);
// USPS two-letter state and territory codes.
const STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP'.split(' '),
);

function joined(scan: Scan, a: number, b: number): boolean {
  const gap = (scan.start[b] ?? 0) - (scan.end[a] ?? 0);
  if (gap === 0) return scan.kind[a] === DIGIT && scan.kind[b] === ALPHA && ORDINAL.has(scan.words[b] ?? '');
  if (gap !== 1) return false;
  const c = scan.value.charCodeAt(scan.end[a] ?? 0);
  return c === 32 || c === 45 || c === 95 || c === 46;
}

/**
 * Street addresses (Safe Harbor identifier 2): a house number of 1-6 digits, one to four
 * name words (ordinals like `5th` included), then a USPS street suffix; `PO Box 123`; and a
 * five-digit ZIP after a state code (`MA 02139`), optionally +4.
 */
export function detectStreetAddresses(scan: Scan, out: Findings): void {
  if ((scan.shape & S_STREET) === 0) return;
  const value = scan.value;
  for (let t = 0; t < scan.count; t++) {
    const p = scan.start[t] ?? 0;
    if (scan.kind[t] === DIGIT) {
      const len = (scan.end[t] ?? 0) - p;
      const prev = codeAt(value, p - 1);
      if (len > 6 || isAlnum(prev) || ((prev === 45 || prev === 46) && isDigit(codeAt(value, p - 2)))) continue;
      let u = t;
      let words = 0;
      // At most six tokens after the number (`5th`, a direction, three words, the suffix):
      // a bounded walk, so a long chain of joined tokens cannot make this quadratic.
      while (words < 5 && u - t < 6 && u + 1 < scan.count && joined(scan, u, u + 1)) {
        u++;
        if (scan.kind[u] === ALPHA) {
          words++;
          if (words >= 2 && SUFFIXES.has(scan.words[u] ?? '')) {
            report(out, 'street-address', p, scan.end[u] ?? 0);
            t = u;
            break;
          }
          if ((scan.label[u] ?? 0) !== 0) break;
        }
      }
      continue;
    }
    const w = scan.words[t];
    // Tokens past `count` are left over from an earlier value: every look-ahead is bounded by it.
    if (w === 'po' && t + 2 < scan.count && scan.words[t + 1] === 'box' && scan.kind[t + 2] === DIGIT && joined(scan, t, t + 1) && joined(scan, t + 1, t + 2)) {
      report(out, 'street-address', p, scan.end[t + 2] ?? 0);
      t += 2;
      continue;
    }
    if (w !== undefined && w.length === 2 && t + 1 < scan.count && scan.kind[t + 1] === DIGIT && STATES.has(value.slice(p, p + 2))) {
      const zs = scan.start[t + 1] ?? 0;
      const ze = scan.end[t + 1] ?? 0;
      if (ze - zs !== 5 || zs - (scan.end[t] ?? 0) !== 1 || codeAt(value, zs - 1) !== 32) continue;
      const plus4 = codeAt(value, ze) === 45 && isDigit(codeAt(value, ze + 1)) && !isDigit(codeAt(value, ze + 5)) ? 5 : 0;
      if (!isAlnum(codeAt(value, ze + plus4))) report(out, 'zip-code', zs, ze + plus4);
    }
  }
}
