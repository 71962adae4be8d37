import { createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { copyHmacKey, destroyHmacKey, hmac, hmacKey, hmacOnce, type HmacHash } from './hmac.js';

// The one-shot-hash HMAC and HKDF give node:crypto's bytes for every key length (shorter than,
// equal to and longer than a block), message split and output length the format uses.

const algorithm = fc.constantFrom<HmacHash>('sha384', 'sha512');
const key = fc.uint8Array({ maxLength: 300 });
const parts = fc.array(fc.uint8Array({ maxLength: 1500 }), { minLength: 1, maxLength: 3 });

describe('hmac', () => {
  it('equals createHmac over arbitrary keys and message parts', () => {
    fc.assert(
      fc.property(algorithm, key, parts, (alg, k, ms) => {
        const expected = createHmac(alg, k).update(Buffer.concat(ms)).digest();
        const padded = hmacKey(alg, k);
        const [a, b, c] = ms;
        expect(hmac(padded, a!, b, c).equals(expected)).toBe(true);
        // Reusing the padded key (and the shared scratch buffer) gives the same answer.
        expect(hmac(copyHmacKey(padded), a!, b, c).equals(expected)).toBe(true);
      }),
    );
  });

  it('hmacOnce equals createHmac for keys up to a block, call after call', () => {
    fc.assert(
      fc.property(algorithm, fc.uint8Array({ maxLength: 128 }), fc.uint8Array({ maxLength: 600 }), (alg, k, m) => {
        expect(hmacOnce(alg, k, m).equals(createHmac(alg, k).update(m).digest())).toBe(true);
      }),
    );
    expect(() => hmacOnce('sha512', new Uint8Array(129), new Uint8Array(1))).toThrow(RangeError);
  });

  it('destroyHmacKey zeroizes the padded key', () => {
    const k = hmacKey('sha512', Buffer.alloc(32, 7));
    destroyHmacKey(k);
    expect(k.inner.every((b) => b === 0) && k.outer.every((b) => b === 0)).toBe(true);
  });
});

describe('hkdf', () => {
  it('equals hkdfSync(sha512, no salt) for every length up to one hash', () => {
    const info = fc.uint8Array({ maxLength: 100 });
    // From 1: the oracle, hkdfSync, refuses a length of 0 on Node 22 and later ("Deriving bits failed").
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), info, info, fc.integer({ min: 1, max: 64 }), (ikm, label, suffix, length) => {
        const expected = Buffer.from(hkdfSync('sha512', ikm, Buffer.alloc(0), Buffer.concat([label, suffix]), length));
        expect(hkdfExpand(hkdfExtract(ikm), length, label, suffix).equals(expected)).toBe(true);
      }),
    );
  });

  it('refuses lengths over one hash', () => {
    expect(() => hkdfExpand(hkdfExtract(Buffer.alloc(32)), 65, Buffer.alloc(0))).toThrow(RangeError);
  });
});
