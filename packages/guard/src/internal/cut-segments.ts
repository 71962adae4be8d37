import { C_DIGIT, C_HEX, CHAR_CLASS, isAlnum, isAlpha, isDigit, isLower, isUpper } from './chars.js';
import { L_AGE, L_BIRTH_YEAR, L_CITY, L_MONTH, L_NAME } from './labels.js';
import { isOpaque, markShortTokenRun } from './opaque-segments.js';
import type { Scan } from './scan.js';
import { S_AGE_WORD, S_CITY, S_LABEL, S_NAME_LABEL, S_STREET, T_DATE } from './tag-bits.js';
import { ALPHA, DIGIT, HEX } from './token-kinds.js';
import { digitShape, digitTag, labelAt, shapeOfTag, twoCapitals, wordIndex, wordShape } from './token-tags.js';

// Cutting a string into segments and tokens (scan.ts holds the result), tagging each token from
// the same characters (token-tags.ts), so the detectors that use the tags need no pass of their own.

/** Longest word looked up in the dictionaries; longer runs are never names or labels. */
const MAX_WORD = 24;

/** Writes token `at` of the scan. */
export function writeToken(s: Scan, at: number, kind: number, label: number, tag: number, start: number, end: number, seg: number, word: string | undefined): void {
  s.kind[at] = kind;
  s.label[at] = label;
  s.tag[at] = tag;
  s.start[at] = start;
  s.end[at] = end;
  s.seg[at] = seg;
  s.words[at] = word;
}

/**
 * Cuts `value` into segments (maximal ASCII alphanumeric runs) and tokens: hex blobs, digit
 * runs, and words split at camelCase humps, each word with its lower-cased text and label
 * bits, and every token tagged on the way (token-tags.ts). A segment that carries no words
 * (opaque-segments.ts) keeps its tokens but no words or labels. One loop with its state in
 * locals: this is the hot path of every check (a split per segment or per token measured
 * 2-5% slower).
 */
export function cutSegments(s: Scan, value: string): void {
  const n = value.length;
  let count = 0;
  let segCount = 0;
  let shape = 0;
  // A number of up to six digits seen: a street suffix after it may end an address.
  let house = false;
  let i = 0;
  while (i < n) {
    if (!isAlnum(value.charCodeAt(i))) {
      i++;
      continue;
    }
    const seg = segCount++;
    const e = measureSegment(s, value, seg, i, n);
    // Hex fragments (`3f2b8c1e`, a UUID group, a short digest) would cut into a token per
    // character; one opaque token keeps the hot path short and hides nothing a detector
    // reads (the segment-level MBI, DEA and VIN checks still see it).
    if (s.segOpaque[seg] === 1) {
      writeToken(s, count++, HEX, 0, 0, i, e, seg, undefined);
      i = e;
      continue;
    }
    const opaque = isOpaque(value, i, e);
    s.segOpaque[seg] = opaque ? 1 : 0;
    const first = count;
    for (let t = i, u = i; t < e; t = u) {
      const tc = value.charCodeAt(t);
      u = t + 1;
      let word: string | undefined;
      let tag = 0;
      let label = 0;
      if (isDigit(tc)) {
        while (u < e && isDigit(value.charCodeAt(u))) u++;
        tag = digitTag(value, t, u);
        shape |= digitShape(value, t, u);
        if (u - t <= 6) house = true;
        if (count > 0 && twoCapitals(s, count - 1)) shape |= S_STREET;
      } else {
        // camelCase: a lower letter ends a word before an upper one; an upper run ends
        // before its last letter when that letter starts a capitalised word (XMLParser).
        let upper = isUpper(tc);
        while (u < e) {
          const uc = value.charCodeAt(u);
          if (!isAlpha(uc)) break;
          if (isUpper(uc)) {
            const before = value.charCodeAt(u - 1);
            if (isLower(before) || (u + 1 < e && isLower(value.charCodeAt(u + 1)) && isUpper(before))) break;
            upper = true;
          }
          u++;
        }
        // One look-up per word gives its label bits and the word flags the tags need.
        let k = -1;
        if (!opaque && u - t <= MAX_WORD) {
          // Most words are already lower case: skip the second copy toLowerCase would make.
          word = upper ? value.slice(t, u).toLowerCase() : value.slice(t, u);
          k = wordIndex(word);
          if (k >= 0) shape |= wordShape(k, house);
        }
        // A label is a word of its own: at the start of its segment or after a camelCase hump
        // (`patientMrn`), not a fragment of an encoded id (`03YSn…`).
        label = k >= 0 && (t === i || (isLower(value.charCodeAt(t - 1)) && isUpper(tc))) ? labelAt(k) : 0;
        if (label !== 0) {
          shape |= labelShape(label);
          tag = monthTag(s, count, label);
        }
      }
      writeToken(s, count++, isDigit(tc) ? DIGIT : ALPHA, label, tag, t, u, seg, word);
      shape |= shapeOfTag(tag);
    }
    if (!opaque) markShortTokenRun(s, seg, first, count, e - i);
    i = e;
  }
  s.count = count;
  s.segCount = segCount;
  s.shape = shape;
}

/**
 * Records segment `seg`, the maximal alphanumeric run from `i`, and returns its end. One walk
 * notes its hex-ness (read by the UUID and MAC checks) and how often it switches between
 * digits and letters: a hex blob (3 switches or more, 6 characters or more) is marked opaque.
 */
function measureSegment(s: Scan, value: string, seg: number, i: number, n: number): number {
  let e = i;
  let hex = C_HEX;
  let switches = 0;
  let wasDigit = isDigit(value.charCodeAt(i)) ? C_DIGIT : 0;
  while (e < n) {
    const d = value.charCodeAt(e);
    const cls = d < 128 ? (CHAR_CLASS[d] ?? 0) : 0;
    if (cls === 0) break;
    hex &= cls;
    const digit = cls & C_DIGIT;
    if (digit !== wasDigit) {
      switches++;
      wasDigit = digit;
    }
    e++;
  }
  s.segStart[seg] = i;
  s.segEnd[seg] = e;
  s.segHex[seg] = hex === 0 ? 0 : 1;
  s.segOpaque[seg] = hex !== 0 && switches >= 3 && e - i >= 6 ? 1 : 0;
  return e;
}

/** The scan-level bits of a label. */
function labelShape(label: number): number {
  let shape = S_LABEL;
  if ((label & (L_AGE | L_BIRTH_YEAR)) !== 0) shape |= S_AGE_WORD;
  if ((label & L_NAME) !== 0) shape |= S_NAME_LABEL;
  if ((label & L_CITY) !== 0) shape |= S_CITY;
  return shape;
}

/** The tag of a label's token `count`: a month name starts a date, and so can the day before it. */
function monthTag(s: Scan, count: number, label: number): number {
  if ((label & L_MONTH) === 0) return 0;
  // `14 March 1985`, `14-Mar-1985`: the day before a month name can start a date.
  if (count > 0 && s.kind[count - 1] === DIGIT && (s.end[count - 1] ?? 0) - (s.start[count - 1] ?? 0) <= 2) s.tag[count - 1] = (s.tag[count - 1] ?? 0) | T_DATE;
  return T_DATE;
}
