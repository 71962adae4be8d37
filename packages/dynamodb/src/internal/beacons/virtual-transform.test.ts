import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTransform, toTransform, type Transform } from './virtual-transform.js';

// Virtual transforms as DB-ESDK 3.9.0 computes them (Virtual.dfy). The Java peer test
// (test/java/beacon-features.java-test.ts) checks the same transforms against Java's beacons;
// these cases pin the clamping rules that differ from the prose of virtual.md.

const run = (t: Parameters<typeof toTransform>[0], s: string): string => applyTransform(toTransform(t)!, s);

describe('virtual transforms', () => {
  it('change ASCII letters only', () => {
    expect(run({ upper: {} }, 'abc-Ωé-z')).toBe('ABC-Ωé-Z');
    expect(run({ lower: {} }, 'ABC-ΩÉ-Z')).toBe('abc-ΩÉ-z');
  });

  it('take and drop prefixes and suffixes, clamped to the string', () => {
    expect(run({ prefix: { length: 2 } }, 'abcd')).toBe('ab');
    expect(run({ prefix: { length: 9 } }, 'abcd')).toBe('abcd');
    expect(run({ prefix: { length: -1 } }, 'abcd')).toBe('abc');
    expect(run({ prefix: { length: -9 } }, 'abcd')).toBe('');
    expect(run({ suffix: { length: 2 } }, 'abcd')).toBe('cd');
    expect(run({ suffix: { length: -1 } }, 'abcd')).toBe('bcd');
    expect(run({ suffix: { length: -9 } }, 'abcd')).toBe('');
    expect(run({ insert: { literal: '#1' } }, 'ab')).toBe('ab#1');
  });

  it('clamp positions to the last element, as GetPos does (substring(0, 3) of "abc" is "ab")', () => {
    expect(run({ substring: { low: 0, high: 3 } }, 'abc')).toBe('ab');
    expect(run({ substring: { low: 1, high: 99 } }, 'abcdef')).toBe('bcde');
    expect(run({ substring: { low: -3, high: -1 } }, 'abcdef')).toBe('de');
    expect(run({ substring: { low: -99, high: 2 } }, 'abcdef')).toBe('ab');
    expect(run({ substring: { low: 2, high: 2 } }, 'abcdef')).toBe('');
    expect(run({ substring: { low: 0, high: 5 } }, '')).toBe('');
  });

  it('split into segments', () => {
    expect(run({ segment: { split: '-', index: 0 } }, '1843-07-10')).toBe('1843');
    expect(run({ segment: { split: '-', index: -1 } }, '1843-07-10')).toBe('10');
    expect(run({ segment: { split: '-', index: 3 } }, '1843-07-10')).toBe('');
    expect(run({ segment: { split: '-', index: -4 } }, '1843-07-10')).toBe('');
    expect(run({ segments: { split: '-', low: 0, high: 2 } }, '1843-07-10')).toBe('1843-07');
    expect(run({ segments: { split: '-', low: 0, high: 9 } }, '1843-07-10')).toBe('1843-07');
    expect(run({ segments: { split: '.', low: -2, high: 9 } }, 'a.b.c.d')).toBe('c');
  });

  it('count UTF-16 code units, as Java strings do', () => {
    expect(run({ prefix: { length: 1 } }, '𝄞x')).toBe('\ud834');
  });

  it('are refused unless exactly one well-formed member', () => {
    const bad: unknown[] = [
      {},
      { upper: {}, lower: {} },
      { upper: { x: 1 } },
      { prefix: { length: 1.5 } },
      { prefix: { length: 2 ** 31 } },
      { segment: { split: '--', index: 0 } },
      { segments: { split: '-', low: 0 } },
      { insert: {} },
      { nope: {} },
      null,
      'upper',
    ];
    for (const t of bad) expect(toTransform(t as never)).toBeUndefined();
  });

  it('never throw and stay within the input for prefix, suffix, substring and segments', () => {
    const transform: fc.Arbitrary<Transform> = fc.oneof(
      fc.record({ kind: fc.constantFrom('prefix' as const, 'suffix' as const), length: fc.integer({ min: -20, max: 20 }) }),
      fc.record({ kind: fc.constant('substring' as const), low: fc.integer({ min: -20, max: 20 }), high: fc.integer({ min: -20, max: 20 }) }),
      fc.record({ kind: fc.constant('segments' as const), split: fc.constantFrom('-', '.'), low: fc.integer({ min: -9, max: 9 }), high: fc.integer({ min: -9, max: 9 }) }),
    );
    fc.assert(
      fc.property(transform, fc.string({ maxLength: 20 }), (t, s) => {
        const out = applyTransform(t, s);
        expect(s.includes(out)).toBe(true);
      }),
    );
  });
});
