import type { BranchKeyMaterials } from '../key-store-types.js';

// The hierarchy's whole point is fewer KMS calls (aws-kms-hierarchical-keyring.md §Cache):
// each branch key is fetched once per TTL per process. Misses are single-flight: N
// concurrent first uses of one branch key share one GetItem and one KMS Decrypt. A failed
// load is not cached (the next use retries). Entries are zeroized when they expire, are
// evicted (LRU beyond `capacity`), dropped (destroy/versionKey in this process) or cleared.
// Zeroization waits for the next macrotask (setImmediate): a caller that was handed the key
// uses it synchronously in a promise continuation, which always runs before then, so an
// eviction by a concurrent caller can never zero a key mid-wrap (a wrap under a zeroed key
// would seal data under a public key).

const zeroizeSoon = (key: Uint8Array): void => {
  setImmediate(() => key.fill(0));
};

type Entry = { materials: BranchKeyMaterials; expiresAt: number };

/**
 * Counters of a hierarchical key provider's branch-key cache (`provider.stats()`).
 *
 * @example
 * ```ts
 * import type { BranchKeyCacheStats } from '@phiseal/keystore';
 * const stats: BranchKeyCacheStats = keys.stats(); // keys: a HierarchicalKeyProvider
 * console.log(`branch-key cache: ${stats.hits} hits, ${stats.misses} misses (KMS Decrypt calls), ${stats.size} held`);
 * ```
 */
export type BranchKeyCacheStats = { hits: number; misses: number; coalesced: number; evictions: number; size: number };

/** A TTL + LRU cache of branch keys with single-flight loads. */
export type BranchKeyCache = {
  /** The cached key for `cacheKey`, or the result of one shared `load`. Use the key synchronously. */
  get(cacheKey: string, load: () => Promise<BranchKeyMaterials>): Promise<{ materials: BranchKeyMaterials; hit: boolean }>;
  /** Drops (and zeroizes) every entry whose key starts with `prefix`. */
  drop(prefix: string): void;
  clear(): void;
  stats(): BranchKeyCacheStats;
};

/** Makes a cache holding at most `capacity` keys for `ttlMs` each. */
export function branchKeyCache(options: { ttlMs: number; capacity: number; now?: () => number }): BranchKeyCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<BranchKeyMaterials>>();
  let generation = 0;
  const counts = { hits: 0, misses: 0, coalesced: 0, evictions: 0 };

  const remove = (key: string, entry: Entry): void => {
    entries.delete(key);
    zeroizeSoon(entry.materials.key);
  };

  const put = (key: string, materials: BranchKeyMaterials): void => {
    const old = entries.get(key);
    if (old) remove(key, old);
    entries.set(key, { materials, expiresAt: now() + options.ttlMs });
    while (entries.size > options.capacity) {
      const [oldestKey, oldest] = entries.entries().next().value as [string, Entry];
      remove(oldestKey, oldest);
      counts.evictions++;
    }
  };

  const load = (key: string, loader: () => Promise<BranchKeyMaterials>): Promise<BranchKeyMaterials> => {
    const started = generation;
    const promise = loader()
      .then((materials) => {
        // A load that began before drop()/clear() must not put the old key back.
        if (started === generation) put(key, materials);
        else zeroizeSoon(materials.key);
        return materials;
      })
      .finally(() => pending.delete(key));
    pending.set(key, promise);
    return promise;
  };

  return {
    async get(key, loader) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) {
        entries.delete(key);
        entries.set(key, entry); // most recently used last
        counts.hits++;
        return { materials: entry.materials, hit: true };
      }
      if (entry) remove(key, entry);
      const inFlight = pending.get(key);
      if (inFlight) counts.coalesced++;
      else counts.misses++;
      const materials = await (inFlight ?? load(key, loader));
      return { materials, hit: false };
    },
    drop(prefix) {
      generation++;
      for (const [key, entry] of [...entries]) if (key.startsWith(prefix)) remove(key, entry);
    },
    clear() {
      generation++;
      for (const [key, entry] of [...entries]) remove(key, entry);
    },
    stats: () => ({ ...counts, size: entries.size }),
  };
}
