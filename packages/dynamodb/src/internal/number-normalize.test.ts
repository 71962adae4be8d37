import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeNumber } from './number-normalize.js';

describe('normalizeNumber', () => {
  it('writes the plain decimal DynamoDB returns', () => {
    const cases: [string, string][] = [
      ['01.50', '1.5'],
      ['-0', '0'],
      ['0.000', '0'],
      ['1E2', '100'],
      ['1.50E1', '15'],
      ['-12.5e-3', '-0.0125'],
      ['+7', '7'],
      ['.5', '0.5'],
      ['5.', '5'],
    ];
    for (const [input, expected] of cases) expect([input, normalizeNumber(input)]).toEqual([input, expected]);
    expect(normalizeNumber('not a number')).toBe('not a number');
  });

  it('gives one spelling per value, whatever the exponent and padding', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -40, max: 40 }), fc.nat(5), (mantissa, exp, pad) => {
        const a = normalizeNumber(`${mantissa}E${exp}`);
        const b = normalizeNumber(`${mantissa}${'0'.repeat(pad)}E${exp - pad}`);
        expect(b).toBe(a);
        expect(normalizeNumber(a)).toBe(a);
      }),
    );
  });
});
