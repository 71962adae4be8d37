// contextText is the ESDK serialization of a context as latin1 text, built by hand: it names
// sealing entries in the data-key cache and is the raw AES wrapping's AAD, so it is held to
// serializeContext (framework/structures.md) and must be injective.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeContext } from './esdk/context.js';
import { contextBytesOf, contextText, contextTextOf, copyPairs, frozenCopy } from './context-text.js';

// Well-formed strings, with units on both sides of U+D800 (where UTF-16 and UTF-8 orders part).
const unit = fc.constantFrom('a', 'b', '-', '\u0000', 'é', '\u07FF', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}');
const text = fc.string({ unit, maxLength: 4 });
const context = fc.dictionary(fc.oneof(text.filter((s) => s.length > 0), fc.string({ minLength: 1, unit: 'grapheme' })), fc.oneof(text, fc.string({ unit: 'grapheme' })), { maxKeys: 5 });

describe('contextText', () => {
  it('is serializeContext read as latin1, whatever the insertion order', () => {
    fc.assert(
      fc.property(context, (c) => {
        const reversed = Object.fromEntries(Object.entries(c).reverse());
        expect(contextText(c)).toBe(serializeContext(c).toString('latin1'));
        expect(contextText(reversed)).toBe(contextText(c));
        expect(contextBytesOf(c).equals(serializeContext(c))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(contextText({})).toBe('');
  });

  it('differs for different contexts', () => {
    const sorted = (c: Record<string, string>): string => JSON.stringify(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    fc.assert(
      fc.property(context, context, (a, b) => {
        expect(contextText(a) === contextText(b)).toBe(sorted(a) === sorted(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('is computed once for a frozen copy, and never remembered for a caller object', () => {
    const copy = frozenCopy({ b: '2', a: '1' });
    expect(Object.isFrozen(copy)).toBe(true);
    const first = contextTextOf(copy);
    expect(contextTextOf(copy)).toBe(first);
    expect(contextBytesOf(copy)).toBe(contextBytesOf(copy));
    expect(contextBytesOf(copy).toString('latin1')).toBe(first);
    const mutable: Record<string, string> = { a: '1' };
    const before = contextTextOf(mutable);
    mutable['a'] = '2';
    expect(contextTextOf(mutable)).not.toBe(before);
    expect(contextTextOf(mutable)).toBe(serializeContext(mutable).toString('latin1'));
  });

  it('copies exactly the pairs a spread copies, a "__proto__" key as an own pair', () => {
    fc.assert(
      fc.property(context, (c) => {
        const copy = copyPairs(c);
        expect(Object.entries(copy)).toEqual(Object.entries({ ...c }));
        expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
    const hostile = JSON.parse('{"a":"1","__proto__":"x","b":"2"}') as Record<string, string>;
    const copy = frozenCopy(hostile);
    expect(Object.keys(copy)).toEqual(['a', '__proto__', 'b']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(contextTextOf(copy)).toBe(serializeContext(hostile).toString('latin1'));
  });

  it('takes a given serialization for a copy, and serializes copies it no longer remembers again', () => {
    const given = contextText({ a: '1' });
    const copy = frozenCopy({ a: '1' }, given);
    expect(contextTextOf(copy)).toBe(given);
    const early = frozenCopy({ k: 'first' });
    const earlyBytes = contextBytesOf(early);
    // Many misses in flight at once: the first copies leave the memory, never with wrong forms.
    const later = Array.from({ length: 40 }, (_, i) => frozenCopy({ k: `v${i}` }));
    expect(contextBytesOf(early).equals(earlyBytes)).toBe(true);
    expect(contextTextOf(early)).toBe(serializeContext(early).toString('latin1'));
    later.forEach((c, i) => expect(contextBytesOf(c).equals(serializeContext({ k: `v${i}` }))).toBe(true));
  });
});
