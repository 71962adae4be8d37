import { markUuids } from './opaque-segments.js';
import { cutSegments } from './cut-segments.js';
import { ALPHA, DIGIT, HEX } from './token-kinds.js';
import { segmentShape } from './token-tags.js';

export { ALPHA, DIGIT, HEX };

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

/**
 * Cuts `value` into the shared scan, and tags its tokens on the way (token-tags.ts): the tags
 * are read from the same characters, so the detectors that use them need no pass of their own.
 * The result is valid until the next call.
 */
export function scan(value: string): Scan {
  const s = shared;
  s.value = value;
  ensure(s, value.length + 1, (value.length >> 1) + 2);
  cutSegments(s, value);
  markUuids(s);
  if (s.words.length > s.count) s.words.length = s.count;
  let shape = s.shape;
  for (let g = 0; g < s.segCount; g++) shape |= segmentShape(s, g);
  s.shape = shape;
  return s;
}
