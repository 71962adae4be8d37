import { isAlpha, isDigit, isHex, isLower, isUpper } from './chars.js';
import { labelOf } from './labels.js';

/** Token classes. */
export const ALPHA = 1;
export const DIGIT = 2;
/** A hex fragment with letters and digits mixed (`3f2b8c1e`), kept whole. */
export const HEX = 3;

/** Longest word looked up in the dictionaries; longer runs are never names or labels. */
const MAX_WORD = 24;

/**
 * One string cut into tokens: alphabetic words (split at camelCase humps) and digit runs,
 * grouped into segments (maximal ASCII alphanumeric runs). Built once per check and shared
 * by every detector, so the string is walked a fixed number of times whatever its content.
 */
export type Scan = {
  value: string;
  count: number;
  start: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  /** Label bits of each token (see labels.ts), looked up once here for every detector. */
  label: Int32Array;
  seg: Int32Array;
  /** Lower-cased text of alphabetic tokens up to 24 chars outside opaque segments. */
  words: (string | undefined)[];
  segCount: number;
  segStart: Int32Array;
  segEnd: Int32Array;
  /** 1 when the segment looks like a digest, encoded id or generated suffix. */
  segOpaque: Uint8Array;
  /** 1 when every character of the segment is a hex digit: set here, read by the UUID and MAC checks. */
  segHex: Uint8Array;
  /** Per-token bits of the tagging pass (tag-bits.ts `T_*`), filled by `tagTokens` right after the scan. */
  tag: Uint8Array;
  /** Scan-level bits of the tagging pass (tag-bits.ts `S_*`): which detectors can find anything at all. */
  shape: number;
};

// One reusable scan: detectPhi is synchronous and never re-entered, and reusing the
// buffers keeps the hot path (short keys, 200k/s) free of per-call typed-array allocation.
const shared: Scan = {
  value: '',
  count: 0,
  start: new Int32Array(64),
  end: new Int32Array(64),
  kind: new Uint8Array(64),
  label: new Int32Array(64),
  seg: new Int32Array(64),
  words: [],
  segCount: 0,
  segStart: new Int32Array(32),
  segEnd: new Int32Array(32),
  segOpaque: new Uint8Array(32),
  segHex: new Uint8Array(32),
  tag: new Uint8Array(64),
  shape: 0,
};

function ensure(scan: Scan, tokens: number, segments: number): void {
  if (scan.start.length < tokens) {
    const n = Math.max(tokens, scan.start.length * 2);
    scan.start = new Int32Array(n);
    scan.end = new Int32Array(n);
    scan.kind = new Uint8Array(n);
    scan.label = new Int32Array(n);
    scan.seg = new Int32Array(n);
    scan.tag = new Uint8Array(n);
  }
  if (scan.segStart.length < segments) {
    const n = Math.max(segments, scan.segStart.length * 2);
    scan.segStart = new Int32Array(n);
    scan.segEnd = new Int32Array(n);
    scan.segOpaque = new Uint8Array(n);
    scan.segHex = new Uint8Array(n);
  }
}

function hexBlob(value: string, s: number, e: number): boolean {
  if (e - s < 6) return false;
  let switches = 0;
  let prevDigit = isDigit(value.charCodeAt(s));
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    if (!isHex(c)) return false;
    const d = isDigit(c);
    if (d !== prevDigit) switches++;
    prevDigit = d;
  }
  return switches >= 3;
}

function charClass(c: number): number {
  if (isDigit(c)) return 3;
  if (isUpper(c)) return 2;
  return 1;
}

/**
 * Digests (hex of any case), base64/base62 ids (ULID, KSUID) and CDK hash suffixes carry
 * no words: looking for names or labels inside them only manufactures false positives.
 * The class-switch ratio separates them from camelCase words (`JaneDoe1985`).
 */
function isOpaque(value: string, s: number, e: number): boolean {
  const len = e - s;
  if (len < 12) return false;
  let digits = 0;
  let uppers = 0;
  let lowers = 0;
  let switches = 0;
  let hex = true;
  let prev = 0;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    const cls = charClass(c);
    if (cls === 3) digits++;
    else if (cls === 2) uppers++;
    else lowers++;
    if (!isHex(c)) hex = false;
    if (i > s && cls !== prev) switches++;
    prev = cls;
  }
  const letters = uppers + lowers;
  if (digits === 0 || letters === 0) return letters > 0 && digits === 0 && switches * 2 >= len + 4;
  if (hex && (uppers === 0 || lowers === 0)) return true;
  if (uppers > 0 && lowers === 0 && len >= 20) return true;
  return switches * 3 >= len;
}

const UUID_GROUPS = [8, 4, 4, 4, 12];

/**
 * UUIDs (RFC 9562, `8-4-4-4-12` hex) are five short segments that each look harmless, yet
 * their hex fragments spell words (`…-4eda-bea2-…`): mark all five opaque.
 */
function markUuids(s: Scan): void {
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

/** Cuts `value` into the shared scan. The result is valid until the next call. */
export function scan(value: string): Scan {
  const s = shared;
  s.value = value;
  ensure(s, value.length + 1, (value.length >> 1) + 2);
  let count = 0;
  let segCount = 0;
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (!isAlpha(c) && !isDigit(c)) {
      i++;
      continue;
    }
    // A segment: a maximal alphanumeric run.
    // Hex-ness is noted on the way, so the UUID and MAC checks need not walk the segment again.
    let e = i;
    let hex = 1;
    while (e < n) {
      const d = value.charCodeAt(e);
      if (!isAlpha(d) && !isDigit(d)) break;
      if (!isHex(d)) hex = 0;
      e++;
    }
    const seg = segCount++;
    s.segStart[seg] = i;
    s.segEnd[seg] = e;
    s.segHex[seg] = hex;
    const opaque = isOpaque(value, i, e);
    s.segOpaque[seg] = opaque ? 1 : 0;
    const firstToken = count;
    if (hexBlob(value, i, e)) {
      // Hex fragments (`3f2b8c1e`, a UUID group, a short digest) would cut into a token per
      // character; one opaque token keeps the hot path short and hides nothing a detector
      // reads (the segment-level MBI, DEA and VIN checks still see it).
      s.segOpaque[seg] = 1;
      s.kind[count] = HEX;
      s.label[count] = 0;
      s.start[count] = i;
      s.end[count] = e;
      s.seg[count] = seg;
      s.words[count] = undefined;
      count++;
      i = e;
      continue;
    }
    let t = i;
    while (t < e) {
      const tc = value.charCodeAt(t);
      let u = t + 1;
      let word: string | undefined;
      if (isDigit(tc)) {
        while (u < e && isDigit(value.charCodeAt(u))) u++;
        s.kind[count] = DIGIT;
        s.label[count] = 0;
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
        s.kind[count] = ALPHA;
        if (!opaque && u - t <= MAX_WORD) {
          // Most words are already lower case: skip the second copy toLowerCase would make.
          word = upper ? value.slice(t, u).toLowerCase() : value.slice(t, u);
        }
        // A label is a word of its own: at the start of its segment or after a camelCase hump
        // (`patientMrn`), not a fragment of an encoded id (`03YSn…`).
        const own = t === i || (isLower(value.charCodeAt(t - 1)) && isUpper(tc));
        s.label[count] = own ? labelOf(word) : 0;
      }
      s.start[count] = t;
      s.end[count] = u;
      s.seg[count] = seg;
      s.words[count] = word;
      count++;
      t = u;
    }
    // Encoded ids cut into many short tokens (`sokDrHGY4`, `eRiaGFyeArwtw` from base64 split
    // at `+` or `/`): an average token under three characters is not words, whatever its case.
    const tokens = count - firstToken;
    if (!opaque && e - i >= 8 && tokens >= 4 && e - i < 3 * tokens) {
      s.segOpaque[seg] = 1;
      for (let k = firstToken; k < count; k++) {
        s.words[k] = undefined;
        s.label[k] = 0;
      }
    }
    i = e;
  }
  s.count = count;
  s.segCount = segCount;
  markUuids(s);
  if (s.words.length > count) s.words.length = count;
  return s;
}
