import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectPhi } from '../detect-phi.js';
import { decodePercent } from './percent.js';

describe('decodePercent', () => {
  it('decodes printable escapes once and maps each character back to the value', () => {
    const d = decodePercent('a%20b%2Cc');
    expect(d?.text).toBe('a b,c');
    expect([...(d?.at ?? [])]).toEqual([0, 1, 4, 5, 8, 9]);
  });

  it('leaves values without a printable escape alone', () => {
    expect(decodePercent('uploads/2024/11/03/scan.pdf')).toBeUndefined();
    expect(decodePercent('100%')).toBeUndefined();
    expect(decodePercent('a%0Ab%zz%2')).toBeUndefined();
  });

  it('keeps %25 encoded, so decoding cannot make a new escape', () => {
    expect(decodePercent('509%252075')).toBeUndefined();
    expect(decodePercent('a%2520b%20c')?.text).toBe('a%2520b c');
  });

  it('maps every decoded character to the character or the escape it came from', () => {
    const piece = fc.constantFrom('a', 'B', '7', ' ', '/', '%', '%20', '%2C', '%2c', '%41', '%25', '%0A', '%7E', '%7F', '%4', '%g0');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((xs) => xs.join('')), (v) => {
        const d = decodePercent(v);
        if (d === undefined) return;
        expect(d.at.length).toBe(d.text.length + 1);
        expect(d.at[d.text.length]).toBe(v.length);
        for (let k = 0; k < d.text.length; k++) {
          const at = d.at[k] ?? -1;
          const fromEscape = v.charCodeAt(at) === 37 && d.text.charCodeAt(k) !== 37;
          expect(fromEscape ? String.fromCharCode(parseInt(v.slice(at + 1, at + 3), 16)) : v.charAt(at)).toBe(d.text.charAt(k));
          expect(d.at[k + 1] ?? 0).toBeGreaterThan(at);
        }
      }),
    );
  });
});

describe('percent-encoded identifiers', () => {
  it('are found in URLs, with offsets on the encoded text', () => {
    const v = 'https://portal.clinic.org/patients/509%2075%208387';
    const found = detectPhi(v, { where: 'sqs.attribute' });
    expect(found.map((f) => f.kind).sort()).toEqual(['ssn', 'url']);
    const ssn = found.find((f) => f.kind === 'ssn');
    expect(v.slice(ssn?.start, ssn?.end)).toBe('509%2075%208387');
    expect(detectPhi('Reports for https://portal.example.org/patients/Manley,%20Beatrice', { where: 'sqs.attribute' }).map((f) => f.kind)).toContain('name');
    expect(detectPhi('http://intake.example.net/r/born:%2005/16/1963/view', { where: 'sqs.attribute' }).map((f) => f.kind)).toContain('date');
  });

  it('are not found where the escape is %25 or the text stays harmless', () => {
    expect(detectPhi('https://portal.clinic.org/r/509%252075%25208387', { where: 'sqs.attribute' })).toEqual([]);
    expect(detectPhi('reports/Q3%202024%20summary.pdf', { where: 's3.key' })).toEqual([]);
  });
});
