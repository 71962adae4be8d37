import { describe, expect, it } from 'vitest';
import { pooledRandomBytes, randomInto, randomPoolForTests } from './random-pool.js';

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

describe('pooled random bytes', () => {
  it('hands out fresh bytes of the asked length, never the same bytes twice', () => {
    const seen = new Set<string>();
    // Several pool refills' worth.
    for (let i = 0; i < 600; i++) {
      const b = pooledRandomBytes(32);
      expect(b).toHaveLength(32);
      expect(isZero(b)).toBe(false);
      const hex = b.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
    expect(pooledRandomBytes(12)).toHaveLength(12);
    expect(pooledRandomBytes(0)).toHaveLength(0);
  });

  it('zeroizes what it hands out in the pool, so a data key drawn from it has no second copy', () => {
    const key = pooledRandomBytes(32);
    const { pool, offset } = randomPoolForTests();
    expect(offset).toBeGreaterThanOrEqual(32);
    expect(isZero(pool.subarray(0, offset))).toBe(true);
    // The bytes not handed out yet are still random.
    expect(isZero(pool.subarray(offset))).toBe(offset === pool.length);
    expect(pool.indexOf(key)).toBe(-1);
  });

  it('writes into a caller buffer at an offset, and fills large requests directly', () => {
    const out = Buffer.alloc(64);
    randomInto(out, 20, 12);
    expect(isZero(out.subarray(0, 20))).toBe(true);
    expect(isZero(out.subarray(20, 32))).toBe(false);
    expect(isZero(out.subarray(32))).toBe(true);
    const before = randomPoolForTests().offset;
    const big = Buffer.alloc(4096);
    randomInto(big, 0, big.length);
    expect(isZero(big)).toBe(false);
    expect(randomPoolForTests().offset).toBe(before);
  });
});
