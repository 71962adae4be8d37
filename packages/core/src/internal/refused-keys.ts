import { createHash } from 'node:crypto';

/** Wrapped-key sets that failed to unwrap, remembered so a replay costs no KMS call. */
export type RefusedKeys = {
  has(id: string): boolean;
  add(id: string): void;
};

export const REFUSED_CAPACITY = 1000;
export const REFUSED_TTL_MS = 5 * 60_000;

// Hashed: an id holds wrapped-key bytes (up to 64 KiB each), and 1000 of those would be a
// memory cost an attacker chooses. A SHA-256 collision is not a concern.
const digest = (id: string): string => createHash('sha256').update(id, 'latin1').digest('base64');

/**
 * A bounded negative cache (issue #11, defect 4): at most `capacity` entries, oldest
 * dropped first, each forgotten after `ttlMs`. Only definite refusals (DECRYPTION_FAILED)
 * go in, never a transient KMS failure, so a good message is never kept out for long.
 */
export function refusedKeys(capacity = REFUSED_CAPACITY, ttlMs = REFUSED_TTL_MS, now: () => number = Date.now): RefusedKeys {
  const entries = new Map<string, number>();
  return {
    has(id) {
      // Nothing refused (the usual state): no digest of the id on every cache miss.
      if (entries.size === 0) return false;
      const key = digest(id);
      const at = entries.get(key);
      if (at === undefined) return false;
      if (now() - at < ttlMs) return true;
      entries.delete(key);
      return false;
    },
    add(id) {
      const key = digest(id);
      entries.delete(key);
      while (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(key, now());
    },
  };
}
