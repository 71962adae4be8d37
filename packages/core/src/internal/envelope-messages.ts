// Envelope steps for whole messages (docs/format.md §1): encrypt and decrypt.
import type { DecryptOptions, DecryptResult, EncryptOptions } from '../envelope-types.js';
import type { EncryptionContext } from '../key-provider.js';
import { checkContext } from './context.js';
import { requireContext, toPlaintext } from './envelope-support.js';
import { loadOpening, loadSealing, openingKey, sealingKey, withMaterial, withSealing } from './envelope-material.js';
import type { EnvelopeState } from './envelope-state.js';
import { invalidArgument } from './failures.js';
import { open, seal } from './material.js';
import { decodeKeyMaterial, layoutMessage, toCompactString } from './message-format.js';
import { ciphertextBytes, toEsdkString } from './esdk/detect.js';
import { esdkDecrypt, esdkEncrypt } from './esdk/operations.js';
import { checkFormat } from './esdk/settings.js';

/** Encrypts one message under a (cached) data key for its context, in the envelope's or the call's format. */
export async function encryptMessage(
  state: EnvelopeState,
  plaintext: Uint8Array | string,
  options?: EncryptOptions,
): Promise<Uint8Array> {
  state.alive();
  const context = checkContext(options?.context);
  const format = checkFormat(options?.format, state.settings.format);
  const bytes = toPlaintext(plaintext);
  let cacheHit = false;
  let keyId = state.keys.id;
  try {
    let out: Uint8Array;
    // A cache hit seals synchronously; awaiting only a miss saves a promise hop per message.
    if (format === 'esdk') {
      const pending = esdkEncrypt(state, bytes, context, state.settings.frameLength);
      const sealed = pending instanceof Promise ? await pending : pending;
      ({ keyId, hit: cacheHit } = sealed);
      out = sealed.message;
    } else {
      const pending = withSealing(state, sealingKey(state, context), { messages: 1, bytes: bytes.length }, context, loadSealing(state, context), (material, hit) => {
        cacheHit = hit;
        keyId = material.keyId;
        return seal(material, bytes);
      });
      out = pending instanceof Promise ? await pending : pending;
    }
    state.counters.encryptions++;
    state.audit('encrypt', context, keyId, cacheHit);
    return out;
  } catch (error) {
    state.audit('encrypt', context, keyId, cacheHit, error);
    throw error;
  }
}

/** Encrypts to a string: base64 of an ESDK message, or `ps1.` + base64url of a compact one. */
export async function encryptToStringOf(state: EnvelopeState, plaintext: Uint8Array | string, options?: EncryptOptions): Promise<string> {
  const format = checkFormat(options?.format, state.settings.format);
  const message = await encryptMessage(state, plaintext, { ...options, format });
  return format === 'esdk' ? toEsdkString(message) : toCompactString(message);
}

async function decryptEsdk(state: EnvelopeState, bytes: Buffer, expected: EncryptionContext): Promise<DecryptResult> {
  let context: EncryptionContext = {};
  let keyId = state.keys.id;
  let cacheHit = false;
  try {
    const out = await esdkDecrypt(state, bytes, expected, (c) => (context = c));
    ({ keyId, hit: cacheHit, context } = out);
    state.counters.decryptions++;
    state.audit('decrypt', context, keyId, cacheHit);
    return { plaintext: out.plaintext, context: out.context, keyId };
  } catch (error) {
    state.audit('decrypt', context, keyId, cacheHit, error);
    throw error;
  }
}

/** Decrypts any form of a message (detected from its bytes); an expected context is checked before any KMS call. */
export async function decryptMessage(
  state: EnvelopeState,
  ciphertext: Uint8Array | string,
  options?: DecryptOptions,
): Promise<DecryptResult> {
  state.alive();
  const expected = checkContext(options?.context);
  let input: ReturnType<typeof ciphertextBytes>;
  try {
    if (typeof ciphertext !== 'string' && !(ciphertext instanceof Uint8Array)) {
      throw invalidArgument('ciphertext must be a string or a Uint8Array');
    }
    input = ciphertextBytes(ciphertext);
  } catch (error) {
    state.audit('decrypt', {}, state.keys.id, false, error);
    throw error;
  }
  return input.format === 'esdk' ? decryptEsdk(state, input.bytes, expected) : decryptCompact(state, input.bytes, expected);
}

async function decryptCompact(state: EnvelopeState, bytes: Buffer, expected: EncryptionContext): Promise<DecryptResult> {
  let context: EncryptionContext = {};
  let keyId = state.keys.id;
  let cacheHit = false;
  try {
    const message = layoutMessage(bytes);
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
