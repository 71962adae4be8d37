import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDigit, isHex, isUpper } from './chars.js';
import { isOpaque } from './opaque-segments.js';

/** isOpaque as it was written first, one test per character: the table-driven one must agree. */
function isOpaqueReference(value: string, s: number, e: number): boolean {
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
    const cls = isDigit(c) ? 3 : isUpper(c) ? 2 : 1;
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

describe('isOpaque', () => {
  it('agrees with the reference on alphanumeric runs of every mix and on any string', () => {
    const run = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{0,40}$/), fc.stringMatching(/^[0-9a-zA-Z]{0,40}$/), fc.stringMatching(/^[a-zA-Z]{0,40}$/), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(run, fc.nat(40), (value, cut) => {
        const s = Math.min(cut, value.length);
        return isOpaque(value, 0, value.length) === isOpaqueReference(value, 0, value.length) && isOpaque(value, s, value.length) === isOpaqueReference(value, s, value.length);
      }),
      { numRuns: 5000 },
    );
  });
  it('marks digests and encoded ids, not words', () => {
    expect(isOpaque('3f2b8c1e4a5d4e6f', 0, 16)).toBe(true);
    expect(isOpaque('AAEwMGI4MWM0OC04Mzg5LTRk', 0, 24)).toBe(true);
    expect(isOpaque('patientRecords2024', 0, 18)).toBe(false);
    expect(isOpaque('abcdef', 0, 6)).toBe(false);
  });
});
