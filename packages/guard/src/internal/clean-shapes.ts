import { C_ALPHA, C_DIGIT, C_HEX, CHAR_CLASS, isDigit } from './chars.js';
import { isIsoTimestamp, lettersAreNoWords } from './clean-timestamps.js';
import { digitRunsUntagged, UUID_LENGTH, uuidClean, uuidDigits } from './clean-uuids.js';
import { isOpaque } from './opaque-segments.js';
import { digitTag, segmentBits } from './token-tags.js';

// Values that provably hold no finding, told apart in one walk instead of a full scan. Every
// DynamoDB item brings distinct ones (its partition key, a UUID; that key base64-encoded in the
// DB-ESDK encryption context), so they miss detectPhi's memo of clean values and would each pay
// the scan and every detector (~2.5 us) only to find nothing.
//
// Why a value that passes cannot hold a finding. Every detector but the e-mail, IPv6 and URL
// ones returns at once unless a scan bit is set (tag-bits.ts), and the bits come from three
// sources: digit runs (`digitTag`: T_NUMBER, T_DATE; `digitShape`: S_DOTTED needs a `.`, and
// S_AGE is read only with S_AGE_WORD), segments (`segmentBits`: S_MAC, S_STRUCTURED) and words
// found in the word table (labels, months, street, mail and age words, and a two-capital word
// before digits for S_STREET). The walk below computes the first two with the scan's own
// functions and requires them zero, and allows no word that could set the third: a segment is
// accepted only when the scan cuts no words from it (no letters, a hex blob, an opaque segment)
// or it is a group of a UUID whose words open nothing (clean-uuids.ts; the scan drops the words
// of a UUID, markUuids). With no words left, names find nothing either. A whole value that is an
// ISO-8601 timestamp is cleared by its layout (clean-timestamps.ts).
// `@` and `%` (e-mail addresses, percent-escapes), `:` (IPv6) and `.` are refused outright, and so
// is any character outside ASCII (folding could turn it into a letter). URLs are reported only
// around another finding (urls.ts). clean-shapes.property.test.ts checks the claim against the
// full detectors.

/**
 * True when the detectors provably find nothing in `value`, whatever the surface; false means
 * "not proven" (the full scan decides), never "PHI".
 */
export function isCleanShape(value: string): boolean {
  const n = value.length;
  if (n === UUID_LENGTH) {
    const digits = uuidDigits(value, 0);
    if (digits >= 0) return uuidClean(value, 0, digits, false);
  }
  if (isIsoTimestamp(value)) return lettersAreNoWords();
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c >= 128) return false;
    if (CHAR_CLASS[c] === 0) {
      if (c === 37 || c === 46 || c === 58 || c === 64) return false;
      i++;
      continue;
    }
    const digits = uuidDigits(value, i);
    if (digits >= 0) i = uuidClean(value, i, digits, true) ? i + UUID_LENGTH : -1;
    else i = segmentEnd(value, i);
    if (i < 0) return false;
  }
  return true;
}

/**
 * End of the segment (maximal ASCII alphanumeric run, as the scan cuts it) at `i` when the scan
 * cuts no words from it and none of its digit runs or segment bits opens a detector; else -1.
 * One walk without a branch per character (ids are random) notes what the tests need.
 */
function segmentEnd(value: string, i: number): number {
  const n = value.length;
  let e = i;
  let hex = C_HEX;
  let letters = 0;
  let switches = 0;
  let run = 0;
  let longest = 0;
  let wasDigit = (CHAR_CLASS[value.charCodeAt(i)] ?? 0) & C_DIGIT;
  while (e < n) {
    const d = value.charCodeAt(e);
    const cls = d < 128 ? (CHAR_CLASS[d] ?? 0) : 0;
    if (cls === 0) break;
    hex &= cls;
    letters |= cls & C_ALPHA;
    // C_DIGIT is bit 0: digit is 0 or 1.
    const digit = cls & C_DIGIT;
    switches += digit ^ wasDigit;
    wasDigit = digit;
    run = (run + 1) * digit;
    longest = Math.max(longest, run);
    e++;
  }
  const len = e - i;
  // The next segment's length matters only after a 4-character one (a printed MBI's first group).
  if (segmentBits(value, i, e, hex !== 0, len === 4 ? nextSegmentLength(value, e) : -1) !== 0) return -1;
  // The scan keeps a hex blob as one token, with no tags and no word (cut-segments.ts).
  if (hex !== 0 && switches >= 3 && len >= 6) return e;
  if (letters !== 0 && !isOpaque(value, i, e)) return -1;
  return digitsUntagged(value, i, e, longest) ? e : -1;
}

/**
 * True when no digit run of the segment `value[s..e)` gets a tag, its longest run `longest`
 * long. A run between two letters has a letter on each side, so digitTag tags it only for its
 * length (8, or 9-11, 13-19): when every run is shorter, only the runs at the segment's edges,
 * next to a separator, need asking.
 */
function digitsUntagged(value: string, s: number, e: number, longest: number): boolean {
  if (longest === 0) return true;
  if (longest >= 8) return digitRunsUntagged(value, s, e);
  if (isDigit(value.charCodeAt(s))) {
    let q = s + 1;
    while (q < e && isDigit(value.charCodeAt(q))) q++;
    if (digitTag(value, s, q) !== 0) return false;
  }
  if (isDigit(value.charCodeAt(e - 1))) {
    let p = e - 1;
    while (p > s && isDigit(value.charCodeAt(p - 1))) p--;
    if (digitTag(value, p, e) !== 0) return false;
  }
  return true;
}

/** Length of the segment after position `e`, or -1 when none follows. */
function nextSegmentLength(value: string, e: number): number {
  let s = e;
  while (s < value.length && (CHAR_CLASS[value.charCodeAt(s)] ?? 0) === 0) s++;
  if (s >= value.length) return -1;
  let t = s;
  while (t < value.length && (CHAR_CLASS[value.charCodeAt(t)] ?? 0) !== 0) t++;
  return t - s;
}
