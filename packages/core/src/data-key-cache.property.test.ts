// The cache keeps its recency order in a linked list through the entries (a hit costs a few
// pointer writes, not a Map re-insert). It must still evict exactly the least recently used
// entry: checked against a plain reference model over arbitrary sequences of uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataKeyCache, type CachedMaterial } from './data-key-cache.js';

const material = (): CachedMaterial & { secret: Buffer } => {
  const secret = Buffer.alloc(8, 1);
  return { secret, secrets: [secret] };
};

describe('DataKeyCache recency order', () => {
  it('evicts (and zeroizes) exactly what a reference LRU evicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 60 }), async (capacity, uses) => {
        const cache = new DataKeyCache({ capacity });
        const model: string[] = []; // least recent first
        const live = new Map<string, Buffer>();
        for (const n of uses) {
          const key = `k${n}`;
          const made = material();
          const hit = await cache.use(key, undefined, () => Promise.resolve(made), (_m, h) => h);
          expect(hit).toBe(model.includes(key));
          if (hit) {
            model.splice(model.indexOf(key), 1);
          } else {
            if (model.length >= capacity) {
              const evicted = model.shift()!;
              expect(live.get(evicted)!.every((b) => b === 0)).toBe(true);
              live.delete(evicted);
            }
            live.set(key, made.secret);
          }
          model.push(key);
          expect(cache.size).toBe(model.length);
        }
        for (const secret of live.values()) expect(secret.every((b) => b === 1)).toBe(true);
        cache.destroy();
        for (const secret of live.values()) expect(secret.every((b) => b === 0)).toBe(true);
        expect(cache.size).toBe(0);
      }),
    );
  });
});
