import { isAlnum, matchesWord } from './chars.js';
import { report, type Findings } from './findings.js';

function isUrlEnd(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96;
}

/**
 * Web URLs (Safe Harbor identifier 14) that carry another identifier: the URL is reported
 * alongside what it carries. A URL with nothing personal in it (a docs link) is not PHI.
 * Runs after the other detectors so it can see their findings.
 */
export function detectUrls(value: string, out: Findings): void {
  if (out.length === 0) return;
  // Starts and ends ordered by start: URLs never overlap, so one forward pointer visits each
  // finding once however many URLs the string holds.
  const found = out.map((f) => [f.start, f.end] as const).sort((a, b) => a[0] - b[0]);
  let k = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 104 && c !== 72 && c !== 119 && c !== 87) continue;
    if (i > 0 && isAlnum(value.charCodeAt(i - 1))) continue;
    let body = -1;
    if (matchesWord(value, i, 'https://')) body = i + 8;
    else if (matchesWord(value, i, 'http://')) body = i + 7;
    else if (matchesWord(value, i, 'www.')) body = i + 4;
    if (body < 0) continue;
    let e = body;
    while (e < value.length && !isUrlEnd(value.charCodeAt(e))) e++;
    while (k < found.length && (found[k]?.[0] ?? 0) < i) k++;
    for (let j = k; j < found.length && (found[j]?.[0] ?? e) < e; j++) {
      if ((found[j]?.[1] ?? e + 1) <= e) {
        report(out, 'url', i, e);
        break;
      }
    }
    i = e;
  }
}
