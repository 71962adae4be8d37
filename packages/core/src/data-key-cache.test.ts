import { describe, expect, it, vi } from 'vitest';
import { DataKeyCache, MAX_MESSAGES_PER_KEY, type CachedMaterial } from './data-key-cache.js';

const material = (): CachedMaterial & { secret: Buffer } => {
  const secret = Buffer.alloc(32, 7);
  return { secret, secrets: [secret] };
};
const isZero = (b: Buffer) => b.every((x) => x === 0);

describe('DataKeyCache', () => {
  it('evicts the least recently used entry at capacity and zeroizes it', async () => {
    const cache = new DataKeyCache({ capacity: 2 });
    const made: Record<string, Buffer> = {};
    const load = (name: string) => () => {
      const m = material();
      made[name] = m.secret;
      return Promise.resolve(m);
    };
    await cache.use('a', undefined, load('a'), () => 0);
    await cache.use('b', undefined, load('b'), () => 0);
    expect(cache.use('a', undefined, load('a2'), () => 'hit')).toBe('hit'); // a is now most recent
    await cache.use('c', undefined, load('c'), () => 0); // evicts b
    expect(isZero(made['b']!)).toBe(true);
    expect(isZero(made['a']!)).toBe(false);
    expect(cache.size).toBe(2);
    expect(cache.evictions).toBe(1);
  });

  it('seeds an entry synchronously only where no live entry or load exists, evicting at capacity', async () => {
    let now = 0;
    const cache = new DataKeyCache({ capacity: 2, maxAgeMs: 100, now: () => now });
    const a = material();
    expect(cache.seed('a', a)).toBe(true);
    expect(cache.use('a', undefined, () => Promise.resolve(material()), (m, hit) => hit && m === a)).toBe(true);
    expect(cache.seed('a', material())).toBe(false); // live entry: the caller zeroizes its copy
    let release!: () => void;
    const loading = cache.use('b', undefined, () => new Promise<CachedMaterial>((r) => (release = () => r(material()))), () => 0);
    expect(cache.seed('b', material())).toBe(false); // a load is in flight
    release();
    await loading;
    expect(cache.seed('c', material())).toBe(true); // evicts a, the least recently used
    expect(isZero(a.secret)).toBe(true);
    expect(cache.size).toBe(2);
    now = 100; // b and c expired: a new seed replaces the expired entry
    const fresh = material();
    expect(cache.seed('c', fresh)).toBe(true);
    expect(cache.use('c', undefined, () => Promise.resolve(material()), (m, hit) => hit && m === fresh)).toBe(true);
    cache.destroy();
  });

  it('expires entries by age on a controllable clock, zeroizing them', async () => {
    let now = 1000;
    const cache = new DataKeyCache({ maxAgeMs: 100, now: () => now });
    const first = material();
    await cache.use('k', undefined, () => Promise.resolve(first), () => 0);
    now += 99;
    expect(cache.use('k', undefined, () => Promise.resolve(material()), (_m, hit) => hit)).toBe(true);
    now += 1;
    expect(await cache.use('k', undefined, () => Promise.resolve(material()), (_m, hit) => hit)).toBe(false);
    expect(isZero(first.secret)).toBe(true);
  });

  it('expires untouched entries on time with one timer, oldest first, and keeps them under a very long age', async () => {
    vi.useFakeTimers();
    try {
      const cache = new DataKeyCache({ maxAgeMs: 100 });
      const a = material();
      const b = material();
      await cache.use('a', undefined, () => Promise.resolve(a), () => 0);
      vi.advanceTimersByTime(50);
      await cache.use('b', undefined, () => Promise.resolve(b), () => 0);
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(50);
      expect(isZero(a.secret)).toBe(true);
      expect(isZero(b.secret)).toBe(false);
      expect(cache.size).toBe(1);
      vi.advanceTimersByTime(50);
      expect(isZero(b.secret)).toBe(true);
      expect(cache.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0);

      const long = new DataKeyCache({ maxAgeMs: 2 ** 40 });
      const c = material();
      await long.use('c', undefined, () => Promise.resolve(c), () => 0);
      vi.advanceTimersByTime(2 ** 32);
      expect(isZero(c.secret)).toBe(false);
      long.destroy();
      expect(isZero(c.secret)).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('limits messages per key', async () => {
    const cache = new DataKeyCache({ maxMessagesPerKey: 3 });
    let loads = 0;
    const load = () => {
      loads++;
      return Promise.resolve(material());
    };
    for (let i = 0; i < 7; i++) await cache.use('k', { messages: 1, bytes: 0 }, load, () => 0);
    expect(loads).toBe(3); // 3 + 3 + 1
  });

  it('limits bytes per key and never caches a key for a request larger than the limit', async () => {
    const cache = new DataKeyCache({ maxBytesPerKey: 100 });
    let loads = 0;
    const made: Buffer[] = [];
    const load = () => {
      loads++;
      const m = material();
      made.push(m.secret);
      return Promise.resolve(m);
    };
    await cache.use('k', { messages: 1, bytes: 60 }, load, () => 0);
    await cache.use('k', { messages: 1, bytes: 40 }, load, () => 0);
    await cache.use('k', { messages: 1, bytes: 1 }, load, () => 0);
    expect(loads).toBe(2);
    await cache.use('k', { messages: 1, bytes: 101 }, load, () => 0);
    expect(loads).toBe(3);
    expect(isZero(made[2]!)).toBe(true); // used once, never shared
    expect(cache.use('k', { messages: 1, bytes: 1 }, load, (_m, hit) => hit)).toBe(true);
  });

  it('coalesces concurrent misses into one load and shares its failure', async () => {
    const cache = new DataKeyCache();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return material();
    };
    const all = Promise.all(Array.from({ length: 100 }, () => Promise.resolve(cache.use('k', { messages: 1, bytes: 0 }, load, () => 1))));
    release();
    expect((await all).length).toBe(100);
    expect(loads).toBe(1);
    expect(cache.coalescedMisses).toBe(99);

    let failures = 0;
    const failing = () => {
      failures++;
      return Promise.reject(new Error('kms down'));
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => Promise.resolve(cache.use('f', undefined, failing, () => 1))),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(failures).toBe(1);
  });

  it('does not keep a key whose load finished after destroy, and zeroizes it after its one use', async () => {
    const cache = new DataKeyCache();
    const late = material();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let seen: Buffer | undefined;
    const pending = cache.use('k', { messages: 1, bytes: 0 }, async () => {
      await gate;
      return late;
    }, (m) => (seen = Buffer.from(m.secret)));
    cache.destroy();
    release();
    await pending;
    expect(seen?.equals(Buffer.alloc(32, 7))).toBe(true); // the caller in flight still got its key
    expect(cache.size).toBe(0);
    expect(isZero(late.secret)).toBe(true);
    // The cache stays usable after destroy.
    await cache.use('k', undefined, () => Promise.resolve(material()), () => 0);
    expect(cache.size).toBe(1);
  });

  it('zeroizes everything on destroy', async () => {
    const cache = new DataKeyCache();
    const a = material();
    await cache.use('a', undefined, () => Promise.resolve(a), () => 0);
    cache.destroy();
    expect(isZero(a.secret)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('refuses limits beyond the 2^32 random-IV ceiling and non-positive limits', () => {
    expect(() => new DataKeyCache({ maxMessagesPerKey: MAX_MESSAGES_PER_KEY + 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    expect(() => new DataKeyCache({ capacity: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    expect(new DataKeyCache({ maxMessagesPerKey: MAX_MESSAGES_PER_KEY }).maxMessagesPerKey).toBe(2 ** 32);
  });
});
