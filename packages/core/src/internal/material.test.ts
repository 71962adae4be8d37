import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataKeyCache, zeroize } from '../data-key-cache.js';
import { deriveMessageKeys } from './derive.js';
import { compactHeader, compactKeys, keyMaterial, type SealingMaterial } from './material.js';
import { buildHeader } from './message-format.js';

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

describe('key material', () => {
  it('derives the compact keys only on first use, once, and zeroizes the content key with the data key', () => {
    const dataKey = randomBytes(32);
    const m = keyMaterial(dataKey, 'k');
    expect(m.messageKeys).toBeUndefined();
    expect(m.secrets).toHaveLength(1);
    const keys = compactKeys(m);
    const expected = deriveMessageKeys(dataKey);
    expect(keys.encKey.equals(expected.encKey)).toBe(true);
    expect(keys.commitment.equals(expected.commitment)).toBe(true);
    expect(compactKeys(m)).toBe(keys);
    expect(m.secrets).toContain(keys.encKey);
    zeroize(m);
    expect(isZero(m.dataKey)).toBe(true);
    expect(isZero(keys.encKey)).toBe(true);
  });

  it('builds the compact header from the frozen stored context and the commitment', () => {
    const context = Object.freeze({ tenant: 'a', table: 'b' });
    const wrapped = [{ provider: 'p', keyId: 'k', ciphertext: randomBytes(60) }];
    const m: SealingMaterial = { ...keyMaterial(randomBytes(32), 'k'), wrapped, storedContext: context };
    const header = compactHeader(m);
    expect(header.equals(buildHeader(wrapped, context, compactKeys(m).commitment))).toBe(true);
    expect(compactHeader(m)).toBe(header);
  });

  it('zeroizes a content key derived while cached when the entry is evicted', async () => {
    const cache = new DataKeyCache({ capacity: 1 });
    const first = keyMaterial(randomBytes(32), 'k');
    const encKey = await cache.use('a', undefined, () => Promise.resolve(first), (m) => compactKeys(m).encKey);
    expect(isZero(encKey)).toBe(false);
    await cache.use('b', undefined, () => Promise.resolve(keyMaterial(randomBytes(32), 'k')), () => undefined);
    expect(isZero(encKey)).toBe(true);
    expect(isZero(first.dataKey)).toBe(true);
    cache.destroy();
  });
});
