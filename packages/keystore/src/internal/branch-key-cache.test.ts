import { describe, expect, it } from 'vitest';
import type { BranchKeyMaterials } from '../key-store-types.js';
import { branchKeyCache } from './branch-key-cache.js';

const materials = (n: number): BranchKeyMaterials => ({
  branchKeyId: `k${n}`,
  branchKeyVersion: '0e1d2c3b-4a59-4687-a5b4-c3d2e1f00f1e',
  key: Buffer.alloc(32, n + 1),
  encryptionContext: {},
});
const nextMacrotask = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('branch key cache', () => {
  it('makes one load for N concurrent first uses, then serves hits until the TTL', async () => {
    let now = 0;
    const cache = branchKeyCache({ ttlMs: 1000, capacity: 10, now: () => now });
    let loads = 0;
    const load = async () => {
      loads++;
      await nextMacrotask();
      return materials(1);
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.get('a', load)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.materials.key[0] === 2)).toBe(true);
    expect(cache.stats()).toMatchObject({ misses: 1, coalesced: 49 });
    now = 999;
    expect((await cache.get('a', load)).hit).toBe(true);
    now = 1000;
    expect((await cache.get('a', load)).hit).toBe(false);
    expect(loads).toBe(2);
  });

  it('does not cache a failed load', async () => {
    const cache = branchKeyCache({ ttlMs: 1000, capacity: 10 });
    await expect(cache.get('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('a', () => Promise.resolve(materials(1)))).hit).toBe(false);
  });

  it('evicts the least recently used and zeroizes evicted keys only after the current task', async () => {
    const cache = branchKeyCache({ ttlMs: 60_000, capacity: 2 });
    const one = (await cache.get('1', () => Promise.resolve(materials(1)))).materials;
    await cache.get('2', () => Promise.resolve(materials(2)));
    await cache.get('1', () => Promise.resolve(materials(9))); // touch 1: 2 is now oldest
    const two = (await cache.get('3', () => Promise.resolve(materials(3)))) && (await cache.get('2', () => Promise.resolve(materials(4))));
    expect(two.hit).toBe(false); // 2 was evicted
    expect(one.key[0]).toBe(2); // 1 is still cached
    const evicted = cache.stats().evictions;
    expect(evicted).toBeGreaterThanOrEqual(1);
    await nextMacrotask();
    expect(cache.stats().size).toBe(2);
  });

  it('drop() removes by prefix and a load in flight does not put the old key back', async () => {
    const cache = branchKeyCache({ ttlMs: 60_000, capacity: 10 });
    const first = (await cache.get('a\u0000t1\u0000', () => Promise.resolve(materials(1)))).materials;
    let release!: () => void;
    const slow = cache.get('v\u0000t1\u0000x', () => new Promise<BranchKeyMaterials>((r) => (release = () => r(materials(2)))));
    cache.drop('a\u0000t1\u0000');
    cache.drop('v\u0000t1\u0000');
    release();
    await slow;
    await nextMacrotask();
    expect(first.key.every((b) => b === 0)).toBe(true);
    expect(cache.stats().size).toBe(0);
  });
});
