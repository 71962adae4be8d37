import type { Envelope, EnvelopeOptions, EnvelopeStats } from './envelope-types.js';
import { dataKeyFor, unwrapDataKeyFor } from './internal/envelope-data-keys.js';
import { decryptMessage, encryptMessage, encryptToStringOf } from './internal/envelope-messages.js';
import { envelopeState, type EnvelopeState } from './internal/envelope-state.js';
import { decryptStreamFor, encryptStreamFor } from './internal/envelope-streams.js';

function statsOf(state: EnvelopeState): EnvelopeStats {
  const { counters, cache } = state;
  return {
    encryptions: counters.encryptions,
    decryptions: counters.decryptions,
    cacheHits: counters.cacheHits,
    cacheMisses: counters.cacheMisses,
    kmsGenerateDataKeyCalls: counters.generated,
    kmsDecryptCalls: counters.unwrapped,
    coalescedMisses: cache?.coalescedMisses ?? 0,
    evictions: cache?.evictions ?? 0,
    cachedKeys: cache?.size ?? 0,
  };
}

function destroyState(state: EnvelopeState): void {
  state.destroyed = true;
  state.cache?.destroy();
  const listeners = [...state.destroyListeners];
  state.destroyListeners.clear();
  for (const listener of listeners) {
    try {
      listener();
    } catch {
      // One listener failing must not leave the others' keys in memory.
    }
  }
}

function onDestroyOf(state: EnvelopeState, listener: () => void): () => void {
  if (state.destroyed) {
    listener();
    return () => undefined;
  }
  state.destroyListeners.add(listener);
  return () => void state.destroyListeners.delete(listener);
}

/**
 * Creates an envelope: AES-256-GCM envelope encryption with data keys from `keys`,
 * cached and shared under limits, a PHI guard on encryption contexts and an audit sink.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` without a key provider, or for a
 * `maxWrappedKeys` that is not an integer from 1 to 255.
 * @example
 * ```ts
 * import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
 * const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: process.env.KMS_KEY_ARN! }) });
 * const ciphertext = await envelope.encrypt('Jane Doe, DOB 1980-04-02', { context: { tenant: 'clinic-a' } });
 * const { plaintext } = await envelope.decrypt(ciphertext, { context: { tenant: 'clinic-a' } });
 * ```
 */
export function createEnvelope(options: EnvelopeOptions): Envelope {
  const state = envelopeState(options);
  return {
    encrypt: (plaintext, encryptOptions) => encryptMessage(state, plaintext, encryptOptions),
    encryptToString: (plaintext, encryptOptions) => encryptToStringOf(state, plaintext, encryptOptions),
    decrypt: (ciphertext, decryptOptions) => decryptMessage(state, ciphertext, decryptOptions),
    dataKey: (context, usage) => dataKeyFor(state, context, usage),
    unwrapDataKey: (wrapped, context) => unwrapDataKeyFor(state, wrapped, context),
    encryptStream: (streamOptions) => encryptStreamFor(state, streamOptions),
    decryptStream: (streamOptions) => decryptStreamFor(state, streamOptions),
    stats: () => statsOf(state),
    destroy: () => destroyState(state),
    onDestroy: (listener) => onDestroyOf(state, listener),
    guard: state.guard,
    emitAudit: state.emit,
  };
}
