// Envelope steps for whole messages (docs/format.md §1): encrypt and decrypt.
import type { DecryptOptions, DecryptResult, EncryptOptions } from '../envelope-types.js';
import type { EncryptionContext } from '../key-provider.js';
import { checkContext } from './context.js';
import { requireContext, toPlaintext } from './envelope-support.js';
import { loadOpening, loadSealing, openingKey, sealingKey, withMaterial } from './envelope-material.js';
import type { EnvelopeState } from './envelope-state.js';
import { invalidArgument } from './failures.js';
import { open, seal } from './material.js';
import { decodeKeyMaterial, fromCompactString, layoutMessage } from './message-format.js';

/** Encrypts one message under a (cached) data key for its context. */
export async function encryptMessage(
  state: EnvelopeState,
  plaintext: Uint8Array | string,
  options?: EncryptOptions,
): Promise<Uint8Array> {
  state.alive();
  const context = checkContext(options?.context);
  const bytes = toPlaintext(plaintext);
  let cacheHit = false;
  let keyId = state.keys.id;
  try {
    const out = await withMaterial(
      state,
      sealingKey(state, context),
      { messages: 1, bytes: bytes.length },
      loadSealing(state, context),
      (material, hit) => {
        cacheHit = hit;
        keyId = material.keyId;
        return seal(material, bytes);
      },
    );
    state.counters.encryptions++;
    state.audit('encrypt', context, keyId, cacheHit);
    return out;
  } catch (error) {
    state.audit('encrypt', context, keyId, cacheHit, error);
    throw error;
  }
}

/** Decrypts either form of a message; an expected context is checked before any KMS call. */
export async function decryptMessage(
  state: EnvelopeState,
  ciphertext: Uint8Array | string,
  options?: DecryptOptions,
): Promise<DecryptResult> {
  state.alive();
  const expected = checkContext(options?.context);
  let context: EncryptionContext = {};
  let keyId = state.keys.id;
  let cacheHit = false;
  try {
    if (typeof ciphertext !== 'string' && !(ciphertext instanceof Uint8Array)) {
      throw invalidArgument('ciphertext must be a string or a Uint8Array');
    }
    const message = layoutMessage(typeof ciphertext === 'string' ? fromCompactString(ciphertext) : ciphertext);
    // Decoding the wrapped keys and context is needed only on a cache miss or to check an
    // expected context first (before any KMS call); a hit carries the decoded context.
    let decoded: ReturnType<typeof decodeKeyMaterial> | undefined;
    if (Object.keys(expected).length > 0) {
      decoded = decodeKeyMaterial(message);
      context = decoded.context;
      requireContext(expected, decoded.context);
    }
    const cacheKey = openingKey(state, message.keyMaterialId);
    const plaintext = await withMaterial(
      state,
      cacheKey,
      undefined,
      () => {
        decoded ??= decodeKeyMaterial(message);
        return loadOpening(state, decoded.wrapped, decoded.context, cacheKey)();
      },
      (material, hit) => {
        cacheHit = hit;
        keyId = material.keyId;
        context = material.context ?? decoded?.context ?? context;
        return open(material, message);
      },
    );
    state.counters.decryptions++;
    state.audit('decrypt', context, keyId, cacheHit);
    return { plaintext, context: { ...context }, keyId };
  } catch (error) {
    state.audit('decrypt', context, keyId, cacheHit, error);
    throw error;
  }
}
