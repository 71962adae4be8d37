import { isConnector } from './labels.js';
import { ALPHA, type Scan } from './scan.js';

/** Longest run of separators between a label and what it labels (`dob = `, `MRN#: `). */
const MAX_GAP = 3;

/**
 * Label bits of the nearest meaningful word before token `t`, looking back over at most
 * `maxWords` words and skipping connectors (`member_id_`, `date_of_birth=`). Bounded
 * look-back keeps every caller O(1) per token.
 */
export function labelBefore(scan: Scan, t: number, maxWords = 3): number {
  let k = t - 1;
  let seen = 0;
  let edge = scan.start[t] ?? 0;
  while (k >= 0 && seen < maxWords) {
    if (edge - (scan.end[k] ?? 0) > MAX_GAP) return 0;
    if (scan.kind[k] !== ALPHA) return 0;
    const bits = scan.label[k] ?? 0;
    if (bits !== 0) return bits;
    if (!isConnector(scan.words[k])) return 0;
    edge = scan.start[k] ?? 0;
    k--;
    seen++;
  }
  return 0;
}

/** Label bits of the word right after token `t` (`1985-03-14-dob`, `jane-doe-patient`). */
export function labelAfter(scan: Scan, t: number): number {
  const k = t + 1;
  if (k >= scan.count || scan.kind[k] !== ALPHA) return 0;
  if ((scan.start[k] ?? 0) - (scan.end[t] ?? 0) > MAX_GAP) return 0;
  return scan.label[k] ?? 0;
}

/** Index of the first token starting at or after `pos` (tokens are in order). */
export function tokenAt(scan: Scan, pos: number, from = 0): number {
  let t = from;
  while (t < scan.count && (scan.end[t] ?? 0) <= pos) t++;
  return t;
}
