import { C_DIGIT, C_HEX, CHAR_CLASS, isAlnum, isAlpha, isDigit, isHex, isLower, isUpper } from './chars.js';
import { L_AGE, L_BIRTH_YEAR, L_CITY, L_MONTH, L_NAME } from './labels.js';
import { S_AGE_WORD, S_CITY, S_LABEL, S_NAME_LABEL, S_STREET, T_DATE } from './tag-bits.js';
import { ALPHA, DIGIT, HEX } from './token-kinds.js';
import { digitShape, digitTag, labelAt, segmentShape, shapeOfTag, twoCapitals, wordIndex, wordShape } from './token-tags.js';

export { ALPHA, DIGIT, HEX };

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
  /** Per-token bits of the tagging (tag-bits.ts `T_*`, token-tags.ts), set as each token is cut. */
  tag: Uint8Array;
  /** Scan-level bits of the tagging (tag-bits.ts `S_*`): which detectors can find anything at all. */
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

/**
 * Cuts `value` into the shared scan, and tags its tokens on the way (token-tags.ts): the tags
 * are read from the same characters, so the detectors that use them need no pass of their own.
 * The result is valid until the next call.
 */
export function scan(value: string): Scan {
  const s = shared;
  s.value = value;
  ensure(s, value.length + 1, (value.length >> 1) + 2);
  let count = 0;
  let segCount = 0;
  let shape = 0;
  // A number of up to six digits seen: a street suffix after it may end an address.
  let house = false;
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    // A segment: a maximal alphanumeric run. One walk notes its hex-ness (read by the UUID and
    // MAC checks) and how often it switches between digits and letters (a hex blob: 3 or more).
    let e = i;
    let hex = C_HEX;
    let switches = 0;
    let wasDigit = isDigit(c) ? C_DIGIT : 0;
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
    const seg = segCount++;
    s.segStart[seg] = i;
    s.segEnd[seg] = e;
    s.segHex[seg] = hex === 0 ? 0 : 1;
    const opaque = isOpaque(value, i, e);
    s.segOpaque[seg] = opaque ? 1 : 0;
    const firstToken = count;
    if (hex !== 0 && switches >= 3 && e - i >= 6) {
      // Hex fragments (`3f2b8c1e`, a UUID group, a short digest) would cut into a token per
      // character; one opaque token keeps the hot path short and hides nothing a detector
      // reads (the segment-level MBI, DEA and VIN checks still see it).
      s.segOpaque[seg] = 1;
      s.kind[count] = HEX;
      s.label[count] = 0;
      s.tag[count] = 0;
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
      let tag = 0;
      if (isDigit(tc)) {
        while (u < e && isDigit(value.charCodeAt(u))) u++;
        s.kind[count] = DIGIT;
        s.label[count] = 0;
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
        s.kind[count] = ALPHA;
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
        const own = t === i || (isLower(value.charCodeAt(t - 1)) && isUpper(tc));
        const label = own && k >= 0 ? labelAt(k) : 0;
        s.label[count] = label;
        if (label !== 0) {
          shape |= S_LABEL;
          if ((label & (L_AGE | L_BIRTH_YEAR)) !== 0) shape |= S_AGE_WORD;
          if ((label & L_NAME) !== 0) shape |= S_NAME_LABEL;
          if ((label & L_CITY) !== 0) shape |= S_CITY;
          if ((label & L_MONTH) !== 0) {
            tag = T_DATE;
            // `14 March 1985`, `14-Mar-1985`: the day before a month name can start a date.
            if (count > 0 && s.kind[count - 1] === DIGIT && (s.end[count - 1] ?? 0) - (s.start[count - 1] ?? 0) <= 2) s.tag[count - 1] = (s.tag[count - 1] ?? 0) | T_DATE;
          }
        }
      }
      s.tag[count] = tag;
      shape |= shapeOfTag(tag);
      s.start[count] = t;
      s.end[count] = u;
      s.seg[count] = seg;
      s.words[count] = word;
      count++;
      t = u;
    }
    // Encoded ids cut into many short tokens (`sokDrHGY4`, `eRiaGFyeArwtw` from base64 split
    // at `+` or `/`): an average token under three characters is not words, whatever its case.
    // (The tags keep what they saw: a tag is a necessary condition, so a wider one is safe.)
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
  for (let g = 0; g < segCount; g++) shape |= segmentShape(s, g);
  s.shape = shape;
  return s;
}
