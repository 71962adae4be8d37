import { LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { derivedCaches } from './derived-cache.js';

// Derived keys are zeroized when evicted, replaced or when their envelope is destroyed, and
// each envelope has its own cache.

const envelope = () => createEnvelope({ keys: new LocalKeyProvider({ keyId: 'cache-test', key: new Uint8Array(32).fill(5) }) });
const zero = (b: Buffer): void => void b.fill(0);
const isZero = (b: Buffer): boolean => b.every((x) => x === 0);

describe('derivedCaches', () => {
  it('keeps at most `max` entries and zeroizes the oldest it drops', () => {
    const cacheOf = derivedCaches<string, Buffer>(zero, 2);
    const cache = cacheOf(envelope());
    const [a, b, c] = [Buffer.alloc(4, 1), Buffer.alloc(4, 2), Buffer.alloc(4, 3)];
    cache.set('a', a);
    cache.set('b', b);
    cache.set('c', c);
    expect(cache.get('a')).toBeUndefined();
    expect(isZero(a)).toBe(true);
    expect(cache.get('b')).toBe(b);
    expect(isZero(b) || isZero(c)).toBe(false);
  });

  it('zeroizes a replaced value, and refreshes the key so it is evicted last', () => {
    const cacheOf = derivedCaches<string, Buffer>(zero, 2);
    const cache = cacheOf(envelope());
    const [a1, a2, b, c] = [Buffer.alloc(4, 1), Buffer.alloc(4, 2), Buffer.alloc(4, 3), Buffer.alloc(4, 4)];
    cache.set('a', a1);
    cache.set('b', b);
    cache.set('a', a2);
    expect(isZero(a1)).toBe(true);
    cache.set('c', c);
    expect(cache.get('a')).toBe(a2);
    expect(cache.get('b')).toBeUndefined();
  });

  it('zeroizes every entry when the envelope is destroyed; envelopes do not share entries', () => {
    const cacheOf = derivedCaches<string, Buffer>(zero, 8);
    const [one, two] = [envelope(), envelope()];
    const [a, b] = [Buffer.alloc(4, 1), Buffer.alloc(4, 2)];
    cacheOf(one).set('k', a);
    cacheOf(two).set('k', b);
    expect(cacheOf(one).get('k')).toBe(a);
    one.destroy();
    expect(isZero(a)).toBe(true);
    expect(cacheOf(one).get('k')).toBeUndefined();
    expect(cacheOf(two).get('k')).toBe(b);
    expect(isZero(b)).toBe(false);
  });
});
