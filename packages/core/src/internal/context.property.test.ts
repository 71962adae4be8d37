// canonicalContext names a data key in the cache: equal contexts must give one string and
// different contexts different strings. It is built by hand on the hot path, so it is held
// to the simple definition it replaced: JSON of the sorted [key, value] pairs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalContext } from './context.js';

const context = fc.dictionary(fc.string({ minLength: 1, unit: 'binary' }), fc.string({ unit: 'binary' }), { maxKeys: 6 });
const reference = (c: Record<string, string>): string => {
  const keys = Object.keys(c).sort();
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, c[k]]));
};

describe('canonicalContext', () => {
  it('is JSON of the sorted pairs, whatever the insertion order', () => {
    fc.assert(
      fc.property(context, (c) => {
        const reversed = Object.fromEntries(Object.entries(c).reverse());
        expect(canonicalContext(c)).toBe(reference(c));
        expect(canonicalContext(reversed)).toBe(canonicalContext(c));
      }),
    );
  });

  it('differs for different contexts, including separators and quotes inside values', () => {
    fc.assert(
      fc.property(context, context, (a, b) => {
        const same = reference(a) === reference(b);
        expect(canonicalContext(a) === canonicalContext(b)).toBe(same);
      }),
    );
    expect(canonicalContext({ a: 'b","c' })).not.toBe(canonicalContext({ a: 'b', c: '' }));
    expect(canonicalContext({ 'a"': 'b' })).not.toBe(canonicalContext({ a: '"b' }));
  });
});
