import { codeAt, isHex } from './chars.js';
import { report, type Findings } from './findings.js';
import type { Scan } from './scan.js';
import { S_MAC } from './tag-bits.js';

function hexSegment(scan: Scan, g: number, len: number): boolean {
  // Hex-ness of each segment is noted by the scan.
  return (scan.segEnd[g] ?? 0) - (scan.segStart[g] ?? 0) === len && scan.segHex[g] === 1;
}

/** True when segments g..g+n-1 are each `len` hex digits joined by one `sep`. */
function run(scan: Scan, g: number, n: number, len: number, sep: number): boolean {
  if (g + n > scan.segCount) return false;
  for (let k = 0; k < n; k++) {
    if (!hexSegment(scan, g + k, len)) return false;
    if (k > 0 && ((scan.segStart[g + k] ?? 0) !== (scan.segEnd[g + k - 1] ?? 0) + 1 || codeAt(scan.value, scan.segEnd[g + k - 1] ?? 0) !== sep)) return false;
  }
  return true;
}

function hasHexLetter(value: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (((value.charCodeAt(i) | 32) >= 97) && isHex(value.charCodeAt(i))) return true;
  return false;
}

/** All-zero and broadcast addresses identify no device. */
function meaningless(value: string, s: number, e: number): boolean {
  let zeros = true;
  let ones = true;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i) | 32;
    if (!isHex(c)) continue;
    if (c !== 48) zeros = false;
    if (c !== 102) ones = false;
  }
  return zeros || ones;
}

/**
 * MAC addresses (Safe Harbor (M), device identifiers: a wearable or an infusion pump is one
 * patient's): six two-hex-digit groups joined by `:` or `-` (IEEE 802), or three four-digit
 * groups joined by `.` (Cisco), standing alone (not part of a longer hex chain).
 */
export function detectMacAddresses(scan: Scan, out: Findings): void {
  if ((scan.shape & S_MAC) === 0) return;
  const value = scan.value;
  for (let g = 0; g < scan.segCount; g++) {
    const s = scan.segStart[g] ?? 0;
    const before = codeAt(value, s - 1);
    let n = 0;
    let sep = -1;
    if (run(scan, g, 6, 2, 58)) [n, sep] = [6, 58];
    else if (run(scan, g, 6, 2, 45)) [n, sep] = [6, 45];
    else if (run(scan, g, 3, 4, 46)) [n, sep] = [3, 46];
    // Not the tail of a longer chain of hex pairs (`…:aa:bb:cc:dd:ee:ff`); a word before is fine (`mac-FB-…`).
    if (n === 0 || (before === sep && g > 0 && hexSegment(scan, g - 1, n === 6 ? 2 : 4))) continue;
    const e = scan.segEnd[g + n - 1] ?? 0;
    if (codeAt(value, e) === sep && isHex(codeAt(value, e + 1))) continue;
    if (meaningless(value, s, e)) continue;
    // `2024-11-03-10-15-00`, `2024.1103.0915`: digit-only chains with `-` or `.` are stamps.
    if (sep !== 58 && !hasHexLetter(value, s, e)) continue;
    report(out, 'device-id', s, e);
    g += n - 1;
  }
}
