import type { Envelope } from '@phiseal/core';

// Key material derived from an envelope's data keys, kept per envelope so that items under a
// cached data key skip the derivations. An entry lives no longer than its envelope (zeroized
// by destroy()), and at most `max` live at a time (the oldest zeroized first), so hostile
// items cannot grow it.

/** A bounded map whose evicted and replaced values are zeroized. */
export type DerivedCache<K, V> = { get(key: K): V | undefined; set(key: K, value: V): void };

function bounded<K, V>(map: Map<K, V>, zeroize: (value: V) => void, max: number): DerivedCache<K, V> {
  return {
    get: (key) => map.get(key),
    set(key, value) {
      const old = map.get(key);
      map.delete(key);
      if (old !== undefined && old !== value) zeroize(old);
      map.set(key, value);
      if (map.size > max) {
        const [oldest, evicted] = map.entries().next().value as [K, V];
        map.delete(oldest);
        zeroize(evicted);
      }
    },
  };
}

/**
 * A per-envelope cache factory: `cacheOf(envelope)` gives that envelope's cache.
 * Readers must copy what they keep past their next `await` (another item may evict it).
 * @throws never
 * @example
 * ```ts
 * const cacheOf = derivedCaches<string, Keys>(destroyKeys, 256);
 * cacheOf(envelope).get(id);
 * ```
 */
export function derivedCaches<K, V>(zeroize: (value: V) => void, max: number): (envelope: Envelope) => DerivedCache<K, V> {
  const byEnvelope = new WeakMap<Envelope, DerivedCache<K, V>>();
  return (envelope) => {
    let cache = byEnvelope.get(envelope);
    if (!cache) {
      const map = new Map<K, V>();
      cache = bounded(map, zeroize, max);
      byEnvelope.set(envelope, cache);
      if (typeof envelope.onDestroy === 'function') {
        envelope.onDestroy(() => {
          for (const value of map.values()) zeroize(value);
          map.clear();
        });
      }
    }
    return cache;
  };
}
