import { randomBytes } from 'node:crypto';
import {
  PhisealError,
  type EncryptionContext,
  type GeneratedDataKey,
  type KeyProvider,
  type UnwrappedDataKey,
  type WrappedKey,
} from '@phiseal/core';
import type { BranchKeyMaterials, KeyStore } from './key-store-types.js';
import { branchKeyCache, type BranchKeyCache, type BranchKeyCacheStats } from './internal/branch-key-cache.js';
import { PROVIDER_ID } from './internal/constants.js';
import { splitWrapped, unwrapDataKey, wrapDataKey } from './internal/wrap.js';

/**
 * Which branch key a provider uses: one fixed key, or one chosen per encryption context.
 *
 * @example
 * ```ts
 * import { HierarchicalKeyProvider, type HierarchicalKeySource } from '@phiseal/keystore';
 * const single: HierarchicalKeySource = { keyStore, branchKeyId: process.env.BRANCH_KEY_ID };
 * const perTenant: HierarchicalKeySource = {
 *   keyStore,
 *   branchKeyIdSupplier: (context) => {
 *     // Fail closed: never fall back to a shared key for a message without a tenant.
 *     if (context.tenant === undefined) throw new Error('no tenant in the encryption context');
 *     return `tenant-${context.tenant}`;
 *   },
 * };
 * const keys = new HierarchicalKeyProvider(perTenant);
 * ```
 */
export type HierarchicalKeySource =
  | {
      keyStore: KeyStore;
      /** The one branch key; `undefined` (an unset environment variable) is refused with `INVALID_CONFIGURATION`. */
      branchKeyId: string | undefined;
    }
  | {
      keyStore: KeyStore;
      /** Maps a message's encryption context to its tenant's branch key id. Must be a pure function of the context. */
      branchKeyIdSupplier: (context: EncryptionContext) => string | Promise<string>;
    };

/**
 * Cache settings of {@link HierarchicalKeyProvider}.
 *
 * @example
 * ```ts
 * import { HierarchicalKeyProvider, type HierarchicalCacheOptions } from '@phiseal/keystore';
 * const cache: HierarchicalCacheOptions = { ttlSeconds: 300, maxCachedBranchKeys: 500 };
 * const keys = new HierarchicalKeyProvider({ keyStore, branchKeyId: 'tenant-0042' }, cache);
 * ```
 */
export type HierarchicalCacheOptions = {
  /** How long a fetched branch key is used before it is fetched again. Default 600 (10 minutes); 1 to 86400. */
  ttlSeconds?: number;
  /** Branch keys held at once (least recently used evicted first). Default 1000. */
  maxCachedBranchKeys?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
};

// The same message as every other phiseal decryption failure (core's failures.ts).
const decryptionFailed = (): PhisealError =>
  new PhisealError(
    'DECRYPTION_FAILED',
    'Unable to decrypt: the ciphertext is invalid, was modified, or was encrypted under another key or context.',
  );

function bounded(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new PhisealError('INVALID_CONFIGURATION', `${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

const activeKey = (id: string): string => `a\u0000${id}\u0000`;
const versionKey = (id: string, version: string): string => `v\u0000${id}\u0000${version}`;

/**
 * The AWS hierarchical keyring as a phiseal {@link KeyProvider}: data keys wrapped (AES-256-GCM)
 * under a key derived per wrap from a tenant's branch key, which lives in a
 * {@link KeyStore} wrapped by one KMS key. Encrypted data keys carry provider id
 * `aws-kms-hierarchy` and the branch key id as provider info, so the Encryption SDKs'
 * hierarchical keyrings (Python, Java, JavaScript) on the same store read them, and phiseal
 * reads theirs. Branch keys are cached for `ttlSeconds` and fetched single-flight.
 *
 * @example
 * ```ts
 * const keys = new HierarchicalKeyProvider(
 *   { keyStore, branchKeyIdSupplier: (context) => tenantBranchKeys[context.tenant] },
 *   { ttlSeconds: 600 },
 * );
 * const envelope = createEnvelope({ keys });
 * await envelope.encrypt('lab result', { context: { tenant: 'clinic-17' } });
 * ```
 */
export class HierarchicalKeyProvider implements KeyProvider {
  /** `aws-kms-hierarchy:<logical store name>:<branch key id, or * with a supplier>`; a name, not a cache partition. */
  readonly id: string;
  readonly keyStore: KeyStore;
  readonly #fixed: string | undefined;
  readonly #supplier: ((context: EncryptionContext) => string | Promise<string>) | undefined;
  readonly #cache: BranchKeyCache;
  readonly #unsubscribe: () => void;

  /**
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` without a key store and exactly one of
   * `branchKeyId` / `branchKeyIdSupplier`, or with out-of-range cache options; `PHI_DETECTED`
   * for a fixed branch key id that looks like PHI.
   * @example
   * ```ts
   * new HierarchicalKeyProvider({ keyStore, branchKeyId: 'tenant-0042' }, { ttlSeconds: 300 });
   * ```
   */
  constructor(source: HierarchicalKeySource, options: HierarchicalCacheOptions = {}) {
    const s = source as Partial<{ keyStore: KeyStore; branchKeyId: unknown; branchKeyIdSupplier: unknown }>;
    if (s !== null && typeof s === 'object' && 'branchKeyId' in s && s.branchKeyId === undefined && s.branchKeyIdSupplier === undefined) {
      throw new PhisealError('INVALID_CONFIGURATION', 'HierarchicalKeyProvider: branchKeyId is undefined (is its environment variable set?)', { details: { option: 'branchKeyId' } });
    }
    if (!s?.keyStore || (s.branchKeyId === undefined) === (s.branchKeyIdSupplier === undefined)) {
      throw new PhisealError('INVALID_CONFIGURATION', 'HierarchicalKeyProvider needs a keyStore and exactly one of branchKeyId or branchKeyIdSupplier');
    }
    if (s.branchKeyId !== undefined && (typeof s.branchKeyId !== 'string' || s.branchKeyId === '')) {
      throw new PhisealError('INVALID_CONFIGURATION', 'branchKeyId must be a non-empty string');
    }
    if (s.branchKeyIdSupplier !== undefined && typeof s.branchKeyIdSupplier !== 'function') {
      throw new PhisealError('INVALID_CONFIGURATION', 'branchKeyIdSupplier must be a function');
    }
    this.keyStore = s.keyStore;
    this.#fixed = s.branchKeyId;
    if (this.#fixed !== undefined) this.keyStore.guard.check(this.#fixed, 'dynamodb.key');
    this.#supplier = s.branchKeyIdSupplier as ((context: EncryptionContext) => string | Promise<string>) | undefined;
    this.id = `${PROVIDER_ID}:${this.keyStore.logicalKeyStoreName}:${this.#fixed ?? '*'}`;
    this.#cache = branchKeyCache({
      ttlMs: bounded('ttlSeconds', options.ttlSeconds, 600, 86_400) * 1000,
      capacity: bounded('maxCachedBranchKeys', options.maxCachedBranchKeys, 1000, 1_000_000),
      ...(options.now ? { now: options.now } : {}),
    });
    // destroy()/versionKey() through this store in this process take effect here at once.
    this.#unsubscribe = this.keyStore.onChange((id) => {
      this.#cache.drop(activeKey(id));
      this.#cache.drop(`v\u0000${id}\u0000`);
    });
  }

  async #branchKeyIdFor(context: EncryptionContext): Promise<string> {
    if (this.#fixed !== undefined) return this.#fixed;
    let id: unknown;
    try {
      id = await this.#supplier!(context);
    } catch (error) {
      if (PhisealError.is(error)) throw error;
      throw new PhisealError('INVALID_ARGUMENT', 'branchKeyIdSupplier failed.', { cause: error });
    }
    if (typeof id !== 'string' || id === '') throw new PhisealError('INVALID_ARGUMENT', 'branchKeyIdSupplier must return a non-empty string.');
    return id;
  }

  #audit(operation: 'hierarchy.generate' | 'hierarchy.unwrap', materials: BranchKeyMaterials, hit: boolean): void {
    this.keyStore.emitAudit({ operation, branchKeyId: materials.branchKeyId, branchKeyVersion: materials.branchKeyVersion, cacheHit: hit, outcome: 'success' });
  }

  /**
   * A fresh 32-byte data key wrapped under the active branch key of the context's tenant.
   * @throws {@link PhisealError} `PHI_DETECTED` (supplied id), `BRANCH_KEY_NOT_FOUND`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
   */
  async generate(context: EncryptionContext): Promise<GeneratedDataKey> {
    const key = randomBytes(32);
    try {
      return { key, wrapped: await this.wrap(key, context) };
    } catch (error) {
      key.fill(0);
      throw error;
    }
  }

  /**
   * Wraps a data key under the active branch key (used by `MultiKeyProvider` for secondary keys).
   * @throws {@link PhisealError} as {@link HierarchicalKeyProvider.generate}.
   */
  async wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]> {
    if (!(key instanceof Uint8Array) || key.length !== 32) throw new PhisealError('INVALID_ARGUMENT', 'The data key must be 32 bytes.');
    const id = await this.#branchKeyIdFor(context);
    // The id is written in the clear into every message header as provider info.
    this.keyStore.guard.check(id, 'dynamodb.key');
    const { materials, hit } = await this.#cache.get(activeKey(id), () => this.keyStore.getActiveBranchKey(id));
    // Synchronous from here: the cache zeroizes evicted keys only on a later macrotask.
    const ciphertext = wrapDataKey(key, { branchKeyId: id, version: materials.branchKeyVersion, key: materials.key }, context);
    this.#audit('hierarchy.generate', materials, hit);
    return [{ provider: PROVIDER_ID, keyId: id, ciphertext }];
  }

  /**
   * Unwraps the first `aws-kms-hierarchy` data key under this provider's branch key (with a
   * supplier: the branch key the supplier names for this context).
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED` (no wrapping under that branch key),
   * `DECRYPTION_FAILED`, `BRANCH_KEY_NOT_FOUND` (destroyed), `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
   */
  async unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey> {
    const id = await this.#branchKeyIdFor(context);
    const mine = wrapped.filter((w) => w.provider === PROVIDER_ID && w.keyId === id && providerInfoMatches(w));
    if (mine.length === 0) throw new PhisealError('KEY_NOT_ALLOWED', 'The data key is not wrapped under this provider\'s branch key.');
    let failure: Error = decryptionFailed();
    for (const entry of mine) {
      const parts = splitWrapped(entry.ciphertext);
      if (!parts) continue;
      try {
        const { materials, hit } = await this.#cache.get(versionKey(id, parts.version), () =>
          this.keyStore.getBranchKeyVersion(id, parts.version),
        );
        const key = unwrapDataKey(parts, { branchKeyId: id, key: materials.key }, context);
        if (key) {
          this.#audit('hierarchy.unwrap', materials, hit);
          return { key, keyId: id };
        }
        failure = decryptionFailed();
      } catch (error) {
        failure = error instanceof Error ? error : decryptionFailed();
      }
    }
    throw failure;
  }

  /**
   * Whether `wrapped` is under this provider's branch key (for this context) at its active
   * version: the version is read from the wrapped key as {@link HierarchicalKeyProvider.unwrap}
   * reads it, the active version through the branch-key cache. `rewrap` of @phiseal/migrate
   * uses it to move records to a new branch key version (`from` and `to` this provider).
   * @throws {@link PhisealError} as {@link HierarchicalKeyProvider.generate}.
   * @example
   * ```ts
   * await keyStore.versionKey('tenant-0042');
   * await keys.isCurrent(wrapped, { tenant: 'clinic-17' }); // false for a key wrapped before
   * ```
   */
  async isCurrent(wrapped: WrappedKey, context: EncryptionContext): Promise<boolean> {
    const id = await this.#branchKeyIdFor(context);
    if (wrapped?.provider !== PROVIDER_ID || !(wrapped.ciphertext instanceof Uint8Array) || wrapped.keyId !== id || !providerInfoMatches(wrapped)) return false;
    const parts = splitWrapped(wrapped.ciphertext);
    if (!parts) return false;
    const { materials } = await this.#cache.get(activeKey(id), () => this.keyStore.getActiveBranchKey(id));
    return parts.version === materials.branchKeyVersion;
  }

  /** Branch-key cache counters: hits, misses (= key-store reads), coalesced waits, evictions, size. */
  stats(): BranchKeyCacheStats {
    return this.#cache.stats();
  }

  /**
   * Zeroizes every cached branch key and stops listening to the store; the provider must not be used afterwards.
   * @throws never
   * @example
   * ```ts
   * keys.destroy();
   * ```
   */
  destroy(): void {
    this.#unsubscribe();
    this.#cache.clear();
  }
}

// The ESDK stores the branch key id as provider info; a wrapped key that carries its own
// provider-info bytes must carry exactly UTF-8(branch key id).
function providerInfoMatches(w: WrappedKey): boolean {
  const info = (w as { providerInfo?: Uint8Array }).providerInfo;
  return info === undefined || Buffer.from(info).equals(Buffer.from(w.keyId, 'utf8'));
}
