// dataKeyId names an unwrapped data key in the cache: two requests may share a key only when
// they name the same wrappings under the same context. It is held to a plain definition: the
// JSON of the list (provider information normalized as the ESDK reads it) and the sorted context.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhisealError } from '@phiseal/guard';
import type { WrappedKey } from '../key-provider.js';
import { dataKeyId } from './data-key-id.js';

const bytes = fc.uint8Array({ maxLength: 24 });
// Small alphabets, so that different lists often share providers, key ids and bytes.
const name = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', '\u0000', '\u0001', 'é', '\u{1F600}') });
const wrappedKey: fc.Arbitrary<WrappedKey> = fc.record(
  { provider: name, keyId: fc.oneof(name, fc.constant('')), ciphertext: bytes, providerInfo: fc.oneof(bytes, name.map((s) => Buffer.from(s, 'utf8'))) },
  { requiredKeys: ['provider', 'keyId', 'ciphertext'] },
);
const list = fc.array(wrappedKey, { minLength: 1, maxLength: 3 });
const context = fc.dictionary(name, fc.oneof(name, fc.constant('')), { maxKeys: 3 });

const hex = (b: Uint8Array | undefined): string | null => (b === undefined ? null : Buffer.from(b).toString('hex'));
function reference(wrapped: readonly WrappedKey[], ctx: Record<string, string>): string {
  const keys = wrapped.map((k) => {
    const info = k.providerInfo !== undefined && Buffer.from(k.keyId, 'utf8').equals(Buffer.from(k.providerInfo)) ? undefined : k.providerInfo;
    return [k.provider, k.keyId, hex(info), hex(k.ciphertext)];
  });
  return JSON.stringify([keys, Object.keys(ctx).sort().map((k) => [k, ctx[k]])]);
}

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    return PhisealError.is(error) ? error.code : 'crash';
  }
};

describe('dataKeyId', () => {
  it('is equal exactly when the wrappings and the context are', () => {
    fc.assert(
      fc.property(list, context, list, context, (a, ca, b, cb) => {
        expect(dataKeyId(a, ca) === dataKeyId(b, cb)).toBe(reference(a, ca) === reference(b, cb));
        const reversed = Object.fromEntries(Object.entries(ca).reverse());
        expect(dataKeyId(a.map((k) => ({ ...k })), reversed)).toBe(dataKeyId(a, ca));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart fields that only differ in where one ends', () => {
    const c = new Uint8Array(0);
    expect(dataKeyId([{ provider: 'ab', keyId: 'c', ciphertext: c }], {})).not.toBe(dataKeyId([{ provider: 'a', keyId: 'bc', ciphertext: c }], {}));
    expect(dataKeyId([{ provider: 'p', keyId: '', ciphertext: Buffer.from('x') }], { a: 'b' })).not.toBe(
      dataKeyId([{ provider: 'p', keyId: '', ciphertext: Buffer.from('') }], { xa: 'b' }),
    );
    // Provider information equal to the key id's UTF-8 is the ESDK's default spelling of it.
    expect(dataKeyId([{ provider: 'p', keyId: 'k', ciphertext: c, providerInfo: Buffer.from('k') }], {})).toBe(dataKeyId([{ provider: 'p', keyId: 'k', ciphertext: c }], {}));
  });

  it('refuses what is not a list of 1 to 255 wrapped keys, and ill-formed names, with INVALID_ARGUMENT', () => {
    const ok: WrappedKey = { provider: 'p', keyId: 'k', ciphertext: new Uint8Array(4) };
    for (const bad of [
      [],
      Array.from({ length: 256 }, () => ok),
      [null],
      [{ ...ok, ciphertext: 'abc' }],
      [{ ...ok, provider: '' }],
      [{ ...ok, keyId: 7 }],
      [{ ...ok, providerInfo: 'x' }],
      [{ ...ok, keyId: '\uD800' }],
      [{ ...ok, provider: 'a\uDC00' }],
    ]) {
      expect(codeOf(() => dataKeyId(bad as WrappedKey[], {}))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => dataKeyId([ok], { a: '\uD800' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => dataKeyId(Array.from({ length: 255 }, () => ok), {}))).toBe('ok');
  });
});
