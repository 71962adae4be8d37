// Envelope steps for adapters whose formats store the wrapped data key themselves.
import type { DataKey, DataKeyUsage } from '../envelope-types.js';
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { checkContext } from './context.js';
import { usageOf } from './envelope-support.js';
import { dataKeyOpeningKey, loadOpening, loadSealing, sealingKey, seedOpening, withMaterial } from './envelope-material.js';
import type { EnvelopeState } from './envelope-state.js';
import { keyMaterial, type SealingMaterial } from './material.js';

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
    if (state.cache && !state.destroyed) seedOpening(state, dataKeyOpeningKey(state, m.wrapped, m.storedContext), keyMaterial(m.dataKey, m.keyId, m.storedContext));
  };

/** A (cached) data key for `context`; the caller owns the returned copy. */
export async function dataKeyFor(state: EnvelopeState, contextInput: EncryptionContext, usage?: DataKeyUsage): Promise<DataKey> {
  state.alive();
  const context = checkContext(contextInput);
  return withMaterial(state, sealingKey(state, context), usageOf(usage), loadSealing(state, context, context, seedDataKey(state)), (material, hit) => {
    // A miss was audited by the loader; a hit is a data-key use too (issue: "KMS call or cache hit").
    if (hit) state.audit('generateDataKey', context, material.keyId, true);
    return { key: copyOf(material.dataKey), wrapped: material.wrapped[0]!, wrappedKeys: material.wrapped };
  });
}

/** Unwraps (through the cache) a data key an adapter stored; the caller owns the returned copy. */
export async function unwrapDataKeyFor(
  state: EnvelopeState,
  wrapped: WrappedKey | readonly WrappedKey[],
  contextInput: EncryptionContext,
): Promise<Uint8Array> {
  state.alive();
  const context = checkContext(contextInput);
  const list: readonly WrappedKey[] = Array.isArray(wrapped) ? wrapped : [wrapped as WrappedKey];
  const cacheKey = dataKeyOpeningKey(state, list, context);
  return withMaterial(state, cacheKey, undefined, loadOpening(state, list, context, cacheKey), (material, hit) => {
    if (hit) state.audit('unwrapDataKey', context, material.keyId, true);
    return copyOf(material.dataKey);
  });
}
