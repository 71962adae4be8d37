import type { Scan } from './scan.js';

// Segments that carry no words: digests, encoded ids, generated suffixes, UUIDs. Looking for
// names or labels inside them only manufactures false positives, so the scan marks them
// opaque and drops the words and labels of their tokens.

/**
 * Class of each ASCII code unit for {@link isOpaque}: 3 digit, 2 upper, 1 anything else, plus 4
 * for a hex digit. A table rather than tests: ids are random, so a branch per character
 * mispredicts about as often as not.
 */
const OPAQUE_CLASS = new Uint8Array(128).fill(1);
for (let c = 48; c <= 57; c++) OPAQUE_CLASS[c] = 3 | 4;
for (let c = 65; c <= 90; c++) OPAQUE_CLASS[c] = c <= 70 ? 2 | 4 : 2;
for (let c = 97; c <= 102; c++) OPAQUE_CLASS[c] = 1 | 4;

/**
 * Digests (hex of any case), base64/base62 ids (ULID, KSUID) and CDK hash suffixes carry
 * no words: looking for names or labels inside them only manufactures false positives.
 * The class-switch ratio separates them from camelCase words (`JaneDoe1985`).
 */
export function isOpaque(value: string, s: number, e: number): boolean {
  const len = e - s;
  if (len < 12) return false;
  let digits = 0;
  let uppers = 0;
  let switches = 0;
  let hex = 4;
  let prev = (OPAQUE_CLASS[value.charCodeAt(s)] ?? 1) & 3;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    const bits = c < 128 ? (OPAQUE_CLASS[c] ?? 1) : 1;
    const cls = bits & 3;
    // Counted without a branch: digit is class 3, upper class 2.
    digits += (cls >> 1) & cls & 1;
    uppers += (cls >> 1) & ~cls & 1;
    hex &= bits;
    // A change of class: (x + 3) >> 2 is 1 for x in 1-3, 0 for 0.
    switches += ((cls ^ prev) + 3) >> 2;
    prev = cls;
  }
  const lowers = len - digits - uppers;
  const letters = uppers + lowers;
  if (digits === 0 || letters === 0) return letters > 0 && digits === 0 && switches * 2 >= len + 4;
  if (hex !== 0 && (uppers === 0 || lowers === 0)) return true;
  if (uppers > 0 && lowers === 0 && len >= 20) return true;
  return switches * 3 >= len;
}

/**
 * Encoded ids cut into many short tokens (`sokDrHGY4`, `eRiaGFyeArwtw` from base64 split
 * at `+` or `/`): an average token under three characters is not words, whatever its case.
 * Marks segment `seg` of `length` characters, tokens `first` to `end - 1`, opaque when it is
 * one. The tags keep what they saw: a tag is a necessary condition, so a wider one is safe.
 */
export function markShortTokenRun(s: Scan, seg: number, first: number, end: number, length: number): void {
  const tokens = end - first;
  if (length < 8 || tokens < 4 || length >= 3 * tokens) return;
  s.segOpaque[seg] = 1;
  for (let k = first; k < end; k++) {
    s.words[k] = undefined;
    s.label[k] = 0;
  }
}

const UUID_GROUPS = [8, 4, 4, 4, 12];

/**
 * UUIDs (RFC 9562, `8-4-4-4-12` hex) are five short segments that each look harmless, yet
 * their hex fragments spell words (`…-4eda-bea2-…`): mark all five opaque.
 */
export function markUuids(s: Scan): void {
  const v = s.value;
  let tp = 0;
  for (let g = 0; g + 4 < s.segCount; g++) {
    let ok = true;
    for (let k = 0; k < 5 && ok; k++) {
      const a = s.segStart[g + k] ?? 0;
      const b = s.segEnd[g + k] ?? 0;
      ok = b - a === UUID_GROUPS[k] && s.segHex[g + k] === 1 && (k === 0 || v.charCodeAt(a - 1) === 45) && (k === 0 || (s.segEnd[g + k - 1] ?? 0) === a - 1);
    }
    if (!ok) continue;
    const from = s.segStart[g] ?? 0;
    const to = s.segEnd[g + 4] ?? 0;
    for (let k = 0; k < 5; k++) s.segOpaque[g + k] = 1;
    // Tokens are in order and UUIDs do not overlap: one forward pointer for all of them.
    while (tp < s.count && (s.start[tp] ?? 0) < from) tp++;
    while (tp < s.count && (s.start[tp] ?? 0) < to) {
      s.words[tp] = undefined;
      s.label[tp] = 0;
      tp++;
    }
    g += 4;
  }
}
