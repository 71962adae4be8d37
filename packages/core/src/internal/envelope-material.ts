// Data-key material for one envelope: where it is cached, how a miss loads it, and the
// checks made before any key-provider (KMS) call.
import { PhisealError, type Guard } from '@phiseal/guard';
import { zeroize, type CachedMaterial, type CacheUsage } from '../data-key-cache.js';
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { encodeWrappedKeys } from '../wrapped-keys.js';
import { toBuffer } from './bytes.js';
import { keyOfContext } from './cache-key-memo.js';
import { dataKeyId } from './data-key-id.js';
import { contextId } from './context.js';
import { contextText, frozenCopy } from './context-text.js';
import type { EnvelopeState } from './envelope-state.js';
import { decryptionFailed } from './failures.js';
import { keyMaterial, type KeyMaterial, type SealingMaterial } from './material.js';

/** Runs `consume` on the material for `key`: from the cache, or loaded (and zeroized after) without one. */
export function withMaterial<M extends CachedMaterial, T>(
  state: EnvelopeState,
  key: string,
  usage: CacheUsage | undefined,
  load: () => Promise<M>,
  consume: (material: M, hit: boolean) => T,
): T | Promise<T> {
  const counted = (material: M, hit: boolean): T => {
    if (hit) state.counters.cacheHits++;
    else state.counters.cacheMisses++;
    return consume(material, hit);
  };
  if (state.cache) return state.cache.use(key, usage, load, counted);
  return load().then((material) => {
    try {
      return counted(material, false);
    } finally {
      zeroize(material);
    }
  });
}

/** Identifies wrapped keys under their context (the bytes a message's header holds for them). */
export const materialId = (wrapped: readonly WrappedKey[], context: EncryptionContext): string =>
  toBuffer(encodeWrappedKeys(wrapped)).toString('latin1') + contextId(context);

// Both kinds of cache key start with the provider's partition: see provider-identity.ts.
export const sealingKey = (state: EnvelopeState, context: EncryptionContext): string =>
  keyOfContext(state, context, (c) => `e\u0000${state.partition}\u0000${contextText(c)}`);
/** The {@link contextText} a {@link sealingKey} ends with (a slice: no copy of the text). */
export const sealingText = (state: EnvelopeState, key: string): string => key.slice(state.partition.length + 3);
export const openingKey = (state: EnvelopeState, id: string): string => `d\u0000${state.partition}\u0000${id}`;
/** The cache key of a data key adapters unwrap (`envelope.unwrapDataKey`): see data-key-id.ts. */
export const dataKeyOpeningKey = (state: EnvelopeState, wrapped: readonly WrappedKey[], context: EncryptionContext, text?: string): string =>
  `u\u0000${state.partition}\u0000${dataKeyId(wrapped, context, text)}`;

function tooManyWrappedKeys(state: EnvelopeState): PhisealError {
  return new PhisealError('LIMIT_EXCEEDED', `A message may carry at most ${state.maxWrappedKeys} wrapped keys (maxWrappedKeys).`, {
    details: { limit: 'maxWrappedKeys', max: state.maxWrappedKeys },
  });
}

/** Refuses more wrapped keys than the envelope tries, before any key-provider call. */
export function checkWrappedKeyCount(state: EnvelopeState, wrapped: readonly WrappedKey[]): void {
  if (wrapped.length > state.maxWrappedKeys) throw tooManyWrappedKeys(state);
}

/** Every key and value of `context` through `guard`: contexts are logged by CloudTrail in the clear, so no PHI may go there. */
export function guardContext(guard: Guard, context: EncryptionContext): void {
  for (const key of Object.keys(context)) {
    guard.check(key, 'encryptionContext');
    guard.check(context[key]!, 'encryptionContext');
  }
}

/**
 * On a sealing hit, the caller's guard checks the context unless it already passed this entry.
 * Envelopes over one provider that share a DataKeyCache share its entries, and an entry another
 * envelope loaded was checked by that envelope's guard (or none: `guard: false`), not this
 * one's (review23). One comparison when a single envelope uses the cache; a guard that passes is
 * remembered with the entry, so it checks each entry once.
 */
export function guardHit(state: EnvelopeState, material: SealingMaterial, guarded: EncryptionContext): void {
  const { guard } = state;
  if (material.guardedBy === guard || material.alsoGuardedBy?.has(guard)) return;
  guardContext(guard, guarded);
  (material.alsoGuardedBy ??= new WeakSet()).add(guard);
}

/** {@link withMaterial} for sealing entries: a hit runs {@link guardHit} before `consume`. */
export function withSealing<T>(
  state: EnvelopeState,
  key: string,
  usage: CacheUsage,
  guarded: EncryptionContext,
  load: () => Promise<SealingMaterial>,
  consume: (material: SealingMaterial, hit: boolean) => T,
): T | Promise<T> {
  return withMaterial(state, key, usage, load, (material, hit) => {
    if (hit) guardHit(state, material, guarded);
    return consume(material, hit);
  });
}

/**
 * Loads sealing material on a cache miss: guard the context, generate, seed the opening side. `guarded` is the caller's context; `stored` adds what phiseal
 * itself stores (an ESDK signing key's public half), which is not the caller's to check.
 * `prepare`, when given, replaces the compact seeding (ESDK messages seed their own).
 */
export const loadSealing =
  (state: EnvelopeState, guarded: EncryptionContext, stored: EncryptionContext = guarded, prepare?: (m: SealingMaterial) => void, text?: string) =>
  async (): Promise<SealingMaterial> => {
    const { keys, guard, cache } = state;
    guardContext(guard, guarded);
    // Frozen before the provider call: the caller may change its object meanwhile, and the
    // wrapping, the cache key and the (lazily built) header must all bind the same pairs.
    // The copy remembers its serialization (context-text.ts): the provider's AAD and the seeded
    // entry's cache key serialize it once, or not at all when the caller passes the `text` its
    // cache key was built from (then the wrapping binds exactly the pairs the cache key names).
    const storedContext = Object.isFrozen(stored) ? stored : frozenCopy(stored, text);
    state.counters.generated++;
    let generated;
    try {
      generated = await keys.generate(storedContext);
      // Written messages must be readable by envelopes with the same limit.
      checkWrappedKeyCount(state, generated.wrapped);
    } catch (error) {
      generated?.key.fill(0);
      state.audit('generateDataKey', guarded, keys.id, false, error);
      throw error;
    }
    const wrappingKeyId = generated.wrapped[0]?.keyId ?? keys.id;
    const base = keyMaterial(generated.key, wrappingKeyId);
    generated.key.fill(0);
    state.audit('generateDataKey', guarded, wrappingKeyId, false);
    // The compact header and keys are built on first compact use (material.ts), not here.
    // A literal, not `{ ...base, ... }`: that spread (overriding a copied field) cost ~2 µs a miss.
    const material: SealingMaterial = { dataKey: base.dataKey, keyId: base.keyId, secrets: base.secrets, wrapped: generated.wrapped, storedContext, guardedBy: guard };
    if (prepare) prepare(material);
    else if (cache && !state.destroyed) seedOpening(state, openingKey(state, materialId(generated.wrapped, storedContext)), keyMaterial(base.dataKey, wrappingKeyId, storedContext));
    return material;
  };

/** Caches decryption material for this process's own messages, so reading them costs no KMS call. */
export function seedOpening(state: EnvelopeState, key: string, seed: CachedMaterial): void {
  if (!state.cache || state.destroyed || !state.cache.seed(key, seed)) zeroize(seed);
}

/**
 * Loads opening material on a cache miss. Before the provider is asked: the wrapped-key
 * count is capped, and a set that was refused recently fails at once, so replaying a
 * forged message costs no KMS call (issue #11, defect 4).
 */
export const loadOpening =
  (state: EnvelopeState, wrapped: readonly WrappedKey[], context: EncryptionContext, cacheKey: string) =>
  (): Promise<KeyMaterial> =>
    unwrapInto(state, wrapped, context, cacheKey, keyMaterial);

/**
 * The unwrap of a cache miss, for every format (compact and ESDK build different material from
 * the key): the wrapped-key count is capped and a recently refused set fails at once, before any
 * key-provider call; only a definite, non-retryable DECRYPTION_FAILED is remembered, so a
 * transient failure never keeps a good message out (issue #11, defect 4).
 */
export async function unwrapInto<T>(
  state: EnvelopeState,
  wrapped: readonly WrappedKey[],
  context: EncryptionContext,
  cacheKey: string,
  build: (key: Uint8Array, keyId: string, context: EncryptionContext) => T,
): Promise<T> {
  const { keys } = state;
  try {
    checkWrappedKeyCount(state, wrapped);
    if (state.refused.has(cacheKey)) throw decryptionFailed();
    state.counters.unwrapped++;
    let unwrapped;
    try {
      unwrapped = await keys.unwrap(wrapped, context);
    } catch (error) {
      if (PhisealError.is(error) && error.code === 'DECRYPTION_FAILED' && !error.retryable) state.refused.add(cacheKey);
      throw error;
    }
    const material = build(unwrapped.key, unwrapped.keyId, context);
    unwrapped.key.fill(0);
    state.audit('unwrapDataKey', context, unwrapped.keyId, false);
    return material;
  } catch (error) {
    state.audit('unwrapDataKey', context, keys.id, false, error);
    throw error;
  }
}
