import { C_DIGIT, C_HEX, CHAR_CLASS, isDigit, isLower, isUpper } from './chars.js';
import type { Findings } from './findings.js';
import { paymentCardAt } from './payment-cards.js';
import { digitTag, isHexLetterWord, segmentBits } from './token-tags.js';

// UUIDs for clean-shapes.ts: when a UUID (RFC 9562, 8-4-4-4-12 hex) provably holds no finding.
// The scan cuts its short groups into tokens and looks their letter runs up (markUuids drops
// the words afterwards, but the bits they set stay), so a group passes only when its letter
// runs are single-case (no camelCase split), not two capitals (a state code before digits:
// S_STREET) and not in the word table; a hex blob group (cut-segments.ts) is one untagged token.
//
// Digit runs. A UUID inside a longer value (`strict`) may have no tagged digit run. A UUID that
// is the whole value is read as the detectors read it: every label is dropped, so dates find no
// label, person token or name to tie a date to; a number glued to a letter is nothing without a
// label; and at a group's start (after `-`, or at 0) every number rule needs a run of a length
// that ends no UUID group (3, 5, 10, 11, 13-19) or a `+`, `(` or doubled `-` before it, save
// one: a 4-digit group before `-` may start a payment card (`…-5320-130511542901`), so that one
// is asked (paymentCardAt, as numbers.ts does).

const GROUP_LENGTH = [8, 4, 4, 4, 12];
/** Offset of each group in the value, and of its first bit in the 32-bit masks (one bit per hex digit). */
const GROUP_AT = [0, 9, 14, 19, 24];
const GROUP_BIT = [0, 8, 12, 16, 20];
export const UUID_LENGTH = 36;

/** Mask of the upper-case letters of the UUID last read by {@link uuidDigits}. */
let uppers = 0;

/**
 * A UUID at segment start `i` exactly where markUuids finds one (five hex segments of
 * 8-4-4-4-12 joined by single `-`, the last one ending the segment): the mask of its digits
 * (bit k: hex digit k of 32), else -1. Read without a branch per character: ids are random.
 */
export function uuidDigits(value: string, i: number): number {
  const end = i + UUID_LENGTH;
  if (end > value.length || (end < value.length && (CHAR_CLASS[value.charCodeAt(end)] ?? 0) !== 0)) return -1;
  if ((value.charCodeAt(i + 8) ^ 45) | (value.charCodeAt(i + 13) ^ 45) | (value.charCodeAt(i + 18) ^ 45) | (value.charCodeAt(i + 23) ^ 45)) return -1;
  let digits = 0;
  let upper = 0;
  let bad = 0;
  for (let g = 0; g < 5; g++) {
    const at = i + (GROUP_AT[g] ?? 0);
    const bit = GROUP_BIT[g] ?? 0;
    const len = GROUP_LENGTH[g] ?? 0;
    for (let k = 0; k < len; k++) {
      const c = value.charCodeAt(at + k);
      const cls = c < 128 ? (CHAR_CLASS[c] ?? 0) : 0;
      bad |= (cls & C_HEX) ^ C_HEX;
      digits |= (cls & C_DIGIT) << (bit + k);
      // A hex letter is upper case when bit 5 is clear (digits have it set).
      upper |= (((c >> 5) & 1) ^ 1) << (bit + k);
    }
  }
  if (bad !== 0) return -1;
  uppers = upper;
  return digits >>> 0;
}

/**
 * True when the UUID at `i` (its digit mask `digits`, from {@link uuidDigits}) opens no detector.
 * `strict`: it is not the whole value (see the top of this file).
 */
export function uuidClean(value: string, i: number, digits: number, strict: boolean): boolean {
  // Upper case and strict reading are rare: those are read character by character.
  const slow = strict || uppers !== 0;
  for (let g = 0; g < 5; g++) {
    const len = GROUP_LENGTH[g] ?? 0;
    const s = i + (GROUP_AT[g] ?? 0);
    if (segmentBits(value, s, s + len, true, len === 4 ? (GROUP_LENGTH[g + 1] ?? -1) : -1) !== 0) return false;
    const full = (1 << len) - 1;
    const m = (digits >>> (GROUP_BIT[g] ?? 0)) & full;
    // A hex blob: 3 digit/letter switches or more in 6 characters or more (cut-segments.ts).
    if (len >= 6 && bitCount((m ^ (m >>> 1)) & (full >>> 1)) >= 3) continue;
    if (slow ? !groupCleanSlow(value, s, s + len, strict) : !groupClean(value, s, len, m, full)) return false;
  }
  return true;
}

/** A lower-case group that is no hex blob, of a whole-value UUID: its letter runs and its digits. */
function groupClean(value: string, s: number, len: number, m: number, full: number): boolean {
  if (len === 4 && m === full && cardStarts(value, s)) return false;
  const letters = ~m & full;
  // Each run of letters starts where a letter follows a digit or the group's start.
  for (let starts = letters & ~(letters << 1); starts !== 0; starts &= starts - 1) {
    const k = 31 - Math.clz32(starts & -starts);
    const run = 31 - Math.clz32((~letters >>> k) & -(~letters >>> k));
    if (isHexLetterWord(value, s + k, s + k + run)) return false;
  }
  return true;
}

/** {@link groupClean} character by character, for upper case and for `strict`. */
function groupCleanSlow(value: string, s: number, e: number, strict: boolean): boolean {
  let digits = 0;
  for (let k = s; k < e; k++) if (isDigit(value.charCodeAt(k))) digits++;
  if (strict ? !digitRunsUntagged(value, s, e) : digits === 4 && e - s === 4 && cardStarts(value, s)) return false;
  for (let p = s; p < e; p++) {
    if (isDigit(value.charCodeAt(p))) continue;
    let q = p + 1;
    while (q < e && !isDigit(value.charCodeAt(q))) q++;
    if (!singleCase(value, p, q) || (q - p === 2 && isUpper(value.charCodeAt(p))) || isHexLetterWord(value, p, q)) return false;
    p = q;
  }
  return true;
}

/** True when no digit run in `value[s..e)` (each one a token of the scan) gets a tag. */
export function digitRunsUntagged(value: string, s: number, e: number): boolean {
  for (let p = s; p < e; p++) {
    if (!isDigit(value.charCodeAt(p))) continue;
    let q = p + 1;
    while (q < e && isDigit(value.charCodeAt(q))) q++;
    if (digitTag(value, p, q) !== 0) return false;
    p = q;
  }
  return true;
}

/** Findings of the payment-card check; stays empty unless a group starts a card. */
const cards: Findings = [];

/** True when a payment card starts at the 4-digit group at `p` (followed by `-`). */
function cardStarts(value: string, p: number): boolean {
  paymentCardAt(value, p, 4, 45, cards);
  const found = cards.length > 0;
  cards.length = 0;
  return found;
}

function singleCase(value: string, p: number, q: number): boolean {
  const lower = isLower(value.charCodeAt(p));
  for (let k = p + 1; k < q; k++) if (isLower(value.charCodeAt(k)) !== lower) return false;
  return true;
}

/** Number of bits set in `x` (SWAR). */
function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
