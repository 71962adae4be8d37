// Envelope steps for adapters whose formats store the wrapped data key themselves.
import type { DataKey, DataKeyUsage } from '../envelope-types.js';
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { checkContext } from './context.js';
import { contextText, frozenCopy } from './context-text.js';
import { usageOf } from './envelope-support.js';
import { dataKeyOpeningKey, loadSealing, sealingKey, sealingText, seedOpening, unwrapInto, withMaterial, withSealing } from './envelope-material.js';
import type { EnvelopeState } from './envelope-state.js';
import { keyMaterial, type KeyMaterial, type SealingMaterial } from './material.js';

const copyOf = (key: Uint8Array): Buffer => {
  const out = Buffer.alloc(32);
  out.set(key);
  return out;
};

// On a miss, the new data key is cached for unwrapDataKey too, so an adapter reading what this
// process wrote (an S3 object, a DynamoDB item) costs no key-provider call.
const seedDataKey =
  (state: EnvelopeState) =>
  (m: SealingMaterial): void => {
    if (state.cache && !state.destroyed) seedOpening(state, dataKeyOpeningKey(state, m.wrapped, m.storedContext), keyMaterial(m.dataKey, m.keyId));
  };

// unwrapDataKey's entries hand out only the key (their cache key holds the context): no copy of
// the context is kept with them, which is less for the GC to carry per distinct item.
const dataKeyMaterial = (key: Uint8Array, keyId: string): KeyMaterial => keyMaterial(key, keyId);

// Not `async` functions: every DynamoDB item with a distinct key misses the cache, and an async
// function returning the cache's promise added a promise and two microtask turns to each miss.
// What they throw synchronously (a bad context, a destroyed envelope) still rejects.
function settled<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    const result = run();
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A (cached) data key for `context`; the caller owns the returned copy. */
export function dataKeyFor(state: EnvelopeState, contextInput: EncryptionContext, usage?: DataKeyUsage): Promise<DataKey> {
  return settled(() => {
    state.alive();
    const context = checkContext(contextInput);
    const key = sealingKey(state, context);
    // The miss's frozen copy takes the serialization the cache key holds: serialized once per miss.
    const load = loadSealing(state, context, context, seedDataKey(state), sealingText(state, key));
    return withSealing(state, key, usageOf(usage), context, load, (material, hit) => {
      // A miss was audited by the loader; a hit is a data-key use too (issue: "KMS call or cache hit").
      if (hit) state.audit('generateDataKey', context, material.keyId, true);
      return { key: copyOf(material.dataKey), wrapped: material.wrapped[0]!, wrappedKeys: material.wrapped };
    });
  });
}

/** Unwraps (through the cache) a data key an adapter stored; the caller owns the returned copy. */
export function unwrapDataKeyFor(state: EnvelopeState, wrapped: WrappedKey | readonly WrappedKey[], contextInput: EncryptionContext): Promise<Uint8Array> {
  return settled(() => {
    state.alive();
    const context = checkContext(contextInput);
    const list: readonly WrappedKey[] = Array.isArray(wrapped) ? wrapped : [wrapped as WrappedKey];
    const text = contextText(context);
    const cacheKey = dataKeyOpeningKey(state, list, context, text);
    // On a miss the provider gets a frozen copy that remembers `text`: the wrapping's AAD is the
    // serialization the cache key holds, computed once.
    const load = () => unwrapInto(state, list, frozenCopy(context, text), cacheKey, dataKeyMaterial);
    return withMaterial(state, cacheKey, undefined, load, (material, hit) => {
      if (hit) state.audit('unwrapDataKey', context, material.keyId, true);
      return copyOf(material.dataKey);
    });
  });
}
