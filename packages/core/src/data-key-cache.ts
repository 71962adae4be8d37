import { invalidConfiguration } from './internal/failures.js';

/**
 * Limits of a {@link DataKeyCache}.
 *
 * @example
 * ```ts
 * import { createEnvelope, DataKeyCache, type DataKeyCacheOptions } from '@phiseal/core';
 * const limits: DataKeyCacheOptions = { capacity: 100, maxAgeMs: 60_000, maxMessagesPerKey: 10_000, maxBytesPerKey: 2 ** 30 };
 * const envelope = createEnvelope({ keys, cache: new DataKeyCache(limits) });
 * ```
 */
export type DataKeyCacheOptions = {
  /** Most entries held; the least recently used is evicted first. Default 1000. */
  capacity?: number;
  /** A data key is not used after this age. Default 5 minutes. */
  maxAgeMs?: number;
  /** Messages (encryptions, objects, items) per data key. Default 2^20; at most 2^32. */
  maxMessagesPerKey?: number;
  /** Plaintext bytes per data key. Default 2^36 (64 GiB). */
  maxBytesPerKey?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
};

/**
 * Key material the cache owns: its `secrets` are zeroized when the entry leaves the cache.
 *
 * @example
 * ```ts
 * import type { CachedMaterial } from '@phiseal/core';
 * // A branch key's material as a custom key provider caches it: zeroized on eviction.
 * const material: CachedMaterial = { secrets: [branchKey, beaconKey] };
 * ```
 */
export type CachedMaterial = { readonly secrets: readonly Uint8Array[] };

/**
 * Usage reserved against an encryption entry's limits.
 *
 * @example
 * ```ts
 * import type { CacheUsage } from '@phiseal/core';
 * // One object of 5 MiB protected by the cached data key.
 * const usage: CacheUsage = { messages: 1, bytes: 5 * 1024 * 1024 };
 * ```
 */
export type CacheUsage = { messages: number; bytes: number };

type Entry = {
  key: string;
  material: CachedMaterial;
  createdAt: number;
  messages: number;
  bytes: number;
  /** Recency list: `older` towards the least recently used entry, `newer` towards the most recent. */
  older: Entry | undefined;
  newer: Entry | undefined;
};

/**
 * One load in progress. Its promise is made only when a second caller waits for it: nearly
 * every miss has no company, and a promise with its settle closures and rejection handler cost
 * about 1 µs on each (DynamoDB items with distinct keys all miss).
 */
type Flight = { waiting: Promise<void> | undefined; settle: ((error?: Error) => void) | undefined };

function waitFor(flight: Flight): Promise<void> {
  flight.waiting ??= new Promise<void>((resolve, reject) => {
    flight.settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  return flight.waiting;
}

/**
 * With random 96-bit IVs, NIST SP 800-38D §8.3 caps one key at 2^32 GCM invocations to
 * keep the IV-collision probability under 2^-32. No configuration may exceed it.
 *
 * @example
 * ```ts
 * new DataKeyCache({ maxMessagesPerKey: MAX_MESSAGES_PER_KEY }); // the most a key may ever serve
 * ```
 */
export const MAX_MESSAGES_PER_KEY = 2 ** 32;

/** Zeroizes key buffers the caller owns (best effort: JavaScript may have copied them). */
export function zeroize(material: CachedMaterial): void {
  for (const secret of material.secrets) secret.fill(0);
}

function positive(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalidConfiguration(`${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * An LRU cache of data keys with per-key limits on age, messages and bytes, and
 * single-flight misses: concurrent callers that miss the same entry share one key-provider
 * call. Every key buffer is zeroized on eviction, expiry and {@link DataKeyCache.destroy}.
 *
 * A data key is shared only by requests for the same provider object and the same
 * encryption context; decrypted data keys are cached by their wrapped bytes and context.
 * Envelopes that share one cache are partitioned by provider identity (the provider
 * object, not its `id` string, which names a key but not the credentials, allow-list or
 * key bytes behind it): sharing a cache never lets one envelope use a data key its own
 * provider could not unwrap.
 *
 * @example
 * ```ts
 * const cache = new DataKeyCache({ maxAgeMs: 60_000, maxMessagesPerKey: 10_000 });
 * const envelope = createEnvelope({ keys, cache });
 * ```
 */
export class DataKeyCache {
  readonly capacity: number;
  readonly maxAgeMs: number;
  readonly maxMessagesPerKey: number;
  readonly maxBytesPerKey: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Flight>();
  #evictions = 0;
  #coalesced = 0;
  /** Bumped by destroy(): a load that started before it must not put its key back. */
  #generation = 0;
  // Recency order is a linked list through the entries, so a hit moves its entry with a few
  // pointer writes instead of a Map delete and re-insert (which, on every hit, churns the
  // Map's table into periodic rehashes).
  #oldest: Entry | undefined;
  #newest: Entry | undefined;
  // One timer for the whole cache, set for the oldest entry's expiry: `#entries` (a Map) keeps
  // insertion order, which is creation order, so the entries due first are always at its
  // front. A timer per entry cost a Timeout object, a timer-list insertion and a clearTimeout
  // for every data-key cache miss.
  #expiry: ReturnType<typeof setTimeout> | undefined;

  /**
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` for a limit that is not a positive
   * integer, or more than 2^32 messages per key.
   * @example
   * ```ts
   * new DataKeyCache({ capacity: 100 });
   * ```
   */
  constructor(options: DataKeyCacheOptions = {}) {
    this.capacity = positive('capacity', options.capacity, 1000);
    this.maxAgeMs = positive('maxAgeMs', options.maxAgeMs, 5 * 60_000);
    this.maxMessagesPerKey = positive('maxMessagesPerKey', options.maxMessagesPerKey, 2 ** 20, MAX_MESSAGES_PER_KEY);
    this.maxBytesPerKey = positive('maxBytesPerKey', options.maxBytesPerKey, 2 ** 36);
    this.#now = options.now ?? Date.now;
  }

  /** Entries now, evictions so far, and misses that waited for another caller's load. */
  get size(): number {
    return this.#entries.size;
  }

  /** Entries evicted and zeroized so far. */
  get evictions(): number {
    return this.#evictions;
  }

  /** Misses that shared another caller's key-provider call. */
  get coalescedMisses(): number {
    return this.#coalesced;
  }

  /**
   * Runs `consume` synchronously on the entry for `key`, loading it once on a miss.
   * `consume` runs in the same tick as the usage reservation, so no other caller can
   * evict (and zeroize) the material while it is in use.
   * @internal
   */
  use<M extends CachedMaterial, T>(
    key: string,
    usage: CacheUsage | undefined,
    load: () => Promise<M>,
    consume: (material: M, hit: boolean) => T,
  ): T | Promise<T> {
    const entry = this.#reserve(key, usage);
    if (entry) return consume(entry.material as M, true);
    return this.#miss(key, usage, load, consume);
  }

  /**
   * Caches `material` under `key` unless a live entry or a load for `key` exists; returns
   * whether it was kept (if not, the caller zeroizes it). Synchronous: the decryption side of a
   * data key just generated is seeded on every miss, and needs no single-flight.
   * @internal
   */
  seed(key: string, material: CachedMaterial): boolean {
    if (this.#pending.has(key) || this.#reserve(key, undefined)) return false;
    this.#insert(key, material, undefined);
    return true;
  }

  async #miss<M extends CachedMaterial, T>(
    key: string,
    usage: CacheUsage | undefined,
    load: () => Promise<M>,
    consume: (material: M, hit: boolean) => T,
  ): Promise<T> {
    for (;;) {
      const pending = this.#pending.get(key);
      if (pending) {
        this.#coalesced++;
        await waitFor(pending);
        const entry = this.#reserve(key, usage);
        if (entry) return consume(entry.material as M, true);
        continue;
      }
      const flight: Flight = { waiting: undefined, settle: undefined };
      this.#pending.set(key, flight);
      const generation = this.#generation;
      let material: M;
      try {
        material = await load();
      } catch (error) {
        this.#pending.delete(key);
        flight.settle?.(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      this.#pending.delete(key);
      if ((usage && !this.#fits(usage)) || generation !== this.#generation) {
        // Too large for any cached key, or the cache was destroyed while this key was
        // loading: use the fresh key once, never share or keep it.
        flight.settle?.();
        try {
          return consume(material, false);
        } finally {
          zeroize(material);
        }
      }
      this.#insert(key, material, usage);
      flight.settle?.();
      return consume(material, false);
    }
  }

  #fits(usage: CacheUsage): boolean {
    return usage.messages <= this.maxMessagesPerKey && usage.bytes <= this.maxBytesPerKey;
  }

  #reserve(key: string, usage: CacheUsage | undefined): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry || (usage && !this.#fits(usage))) return undefined;
    if (this.#now() - entry.createdAt >= this.maxAgeMs) {
      this.#evict(key, entry);
      return undefined;
    }
    if (usage) {
      if (entry.messages + usage.messages > this.maxMessagesPerKey || entry.bytes + usage.bytes > this.maxBytesPerKey) {
        this.#evict(key, entry);
        return undefined;
      }
      entry.messages += usage.messages;
      entry.bytes += usage.bytes;
    }
    if (this.#newest !== entry) {
      this.#unlink(entry);
      this.#append(entry);
    }
    return entry;
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  #append(entry: Entry): void {
    entry.older = this.#newest;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  #insert(key: string, material: CachedMaterial, usage: CacheUsage | undefined): void {
    const old = this.#entries.get(key);
    if (old) this.#evict(key, old);
    while (this.#entries.size >= this.capacity && this.#oldest) this.#evict(this.#oldest.key, this.#oldest);
    const entry: Entry = {
      key,
      material,
      createdAt: this.#now(),
      messages: usage?.messages ?? 0,
      bytes: usage?.bytes ?? 0,
      older: undefined,
      newer: undefined,
    };
    this.#entries.set(key, entry);
    this.#append(entry);
    this.#armExpiry();
  }

  /** Expire on time even if never touched again, so old keys do not linger in memory. */
  #armExpiry(): void {
    if (this.#expiry !== undefined) return;
    const first = this.#entries.values().next();
    if (first.done) return;
    // setTimeout takes at most 2^31 - 1 ms (more fires at once): a longer age re-arms on waking.
    const wait = Math.min(2 ** 31 - 1, Math.max(1, first.value.createdAt + this.maxAgeMs - this.#now()));
    this.#expiry = setTimeout(() => {
      this.#expiry = undefined;
      this.#expire();
    }, wait);
    this.#expiry.unref?.();
  }

  #expire(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.createdAt < this.maxAgeMs) break;
      this.#evict(key, entry);
    }
    this.#armExpiry();
  }

  #evict(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#unlink(entry);
    zeroize(entry.material);
    this.#evictions++;
  }

  /**
   * Zeroizes and drops every entry.
   * @throws never
   * @example
   * ```ts
   * process.on('SIGTERM', () => cache.destroy());
   * ```
   */
  destroy(): void {
    this.#generation++;
    for (const [key, entry] of [...this.#entries]) this.#evict(key, entry);
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
  }
}
