// serializeContext writes the usual context straight into one buffer; it must give exactly the
// bytes of the definition (framework/structures.md "Serialization"): UTF-8 pairs sorted by the
// key's bytes, each u16-length-prefixed, after a u16 count; an empty context is no bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContext, serializeContext } from './context.js';

const reference = (c: Record<string, string>): Buffer => {
  const enc = new TextEncoder();
  const pairs = Object.keys(c).map((k) => [Buffer.from(enc.encode(k)), Buffer.from(enc.encode(c[k]))] as const);
  if (pairs.length === 0) return Buffer.alloc(0);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const u16 = (n: number): Buffer => Buffer.from([n >>> 8, n & 0xff]);
  return Buffer.concat([u16(pairs.length), ...pairs.flatMap(([k, v]) => [u16(k.length), k, u16(v.length), v])]);
};

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\uE000', '\uFFFF', '\u{1F600}', 'é', '\uD800'));

describe('serializeContext', () => {
  it('gives the definition bytes for any context, including keys that sort differently as UTF-16 and UTF-8', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(text, fc.string({ minLength: 1 })), text, { maxKeys: 6 }), (c) => {
        expect(serializeContext(c).equals(reference(c))).toBe(true);
      }),
    );
    const astral = { '\u{1F600}': 'a', '\uE000': 'b', z: 'c' };
    expect(serializeContext(astral).equals(reference(astral))).toBe(true);
    expect(Object.keys(parseContext(serializeContext(astral)))).toEqual(['z', '\uE000', '\u{1F600}']);
  });

  it('refuses a key or value longer than 65535 bytes', () => {
    expect(() => serializeContext({ a: 'é'.repeat(40_000) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => serializeContext({ ['\uE000'.repeat(30_000)]: 'a' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
