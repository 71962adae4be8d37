// canonicalContext names a data key in the cache: equal contexts must give one string and
// different contexts different strings. It is built by hand on the hot path, so it is held
// to the simple definition it replaced: JSON of the sorted [key, value] pairs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhisealError } from '@phiseal/guard';
import { canonicalContext, contextId, encodeContext } from './context.js';

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

// contextId is encodeContext read as latin1, built as a string (cache keys of unwrapped keys).
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    return PhisealError.is(error) ? error.code : 'crash';
  }
};

describe('contextId', () => {
  it('is encodeContext read as latin1, and refuses what encodeContext refuses', () => {
    const mixed = fc.dictionary(fc.oneof(fc.string({ minLength: 1 }), fc.string({ minLength: 1, unit: 'binary' })), fc.oneof(fc.string(), fc.string({ unit: 'binary' })), { maxKeys: 6 });
    fc.assert(
      fc.property(mixed, (c) => {
        const code = codeOf(() => encodeContext(c));
        expect(codeOf(() => contextId(c))).toBe(code);
        if (code === 'ok') expect(contextId(c)).toBe(encodeContext(c).toString('latin1'));
      }),
    );
    expect(codeOf(() => contextId({ a: 'x'.repeat(0x10000) }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => contextId({ a: '\uD800' }))).toBe('INVALID_ARGUMENT');
    expect(contextId({ b: 'é', a: '' })).toBe(encodeContext({ b: 'é', a: '' }).toString('latin1'));
  });
});
