// Envelope steps for the stream format (docs/format.md §9).
import type { Transform } from 'node:stream';
import type { DecryptOptions, EncryptStreamOptions } from '../envelope-types.js';
import { checkContext } from './context.js';
import { requireContext } from './envelope-support.js';
import { loadOpening, loadSealing, openingKey, sealingKey, withMaterial } from './envelope-material.js';
import type { EnvelopeState } from './envelope-state.js';
import { invalidArgument } from './failures.js';
import { DEFAULT_FRAME, MAX_FRAME, MIN_FRAME } from './stream-format.js';
import { openStreamKey, startStream } from './stream-keys.js';
import { decryptingTransform, encryptingTransform } from './stream-transforms.js';
import type { EncryptionContext } from '../key-provider.js';
import { detectFormat } from './esdk/detect.js';
import { esdkStartStream, esdkStreamOpener } from './esdk/operations.js';
import { checkFormat, checkFrameLength } from './esdk/settings.js';
import { esdkDecryptingTransform, esdkEncryptingTransform } from './esdk/stream.js';
import { switchingTransform } from './esdk/stream-switch.js';

/** A Transform that encrypts into the stream format; the data key is fetched on the first chunk. */
export function encryptStreamFor(state: EnvelopeState, options?: EncryptStreamOptions): Transform {
  state.alive();
  const context = checkContext(options?.context);
  if (checkFormat(options?.format, state.settings.format) === 'esdk') return esdkEncryptStream(state, context, options);
  const frameLength = options?.frameLength ?? DEFAULT_FRAME;
  if (!Number.isSafeInteger(frameLength) || frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
    throw invalidArgument(`frameLength must be an integer from ${MIN_FRAME} to ${MAX_FRAME}`);
  }
  return encryptingTransform(async () => {
    let keyId = state.keys.id;
    try {
      const usage = { messages: 1, bytes: 0 };
      const started = await withMaterial(state, sealingKey(state, context), usage, loadSealing(state, context), (m) => {
        keyId = m.keyId;
        return startStream(m, context, frameLength);
      });
      state.counters.encryptions++;
      state.audit('encryptStream', context, keyId, false);
      return started;
    } catch (error) {
      state.audit('encryptStream', context, keyId, false, error);
      throw error;
    }
  }, frameLength);
}

/** A Transform that decrypts the stream format; the expected context is checked before any KMS call. */
export function decryptStreamFor(state: EnvelopeState, options?: DecryptOptions): Transform {
  state.alive();
  const expected = checkContext(options?.context);
  return switchingTransform((head) => (detectFormat(head) === 'esdk' ? esdkDecryptStream(state, expected) : compactDecryptStream(state, expected)));
}

/** ESDK: a framed message (frame length from the options, else the envelope's, default 4096). */
function esdkEncryptStream(state: EnvelopeState, context: EncryptionContext, options?: EncryptStreamOptions): Transform {
  const frameLength = checkFrameLength(options?.frameLength, state.settings.frameLength);
  return esdkEncryptingTransform(async () => {
    let keyId = state.keys.id;
    try {
      const started = await esdkStartStream(state, context, frameLength);
      keyId = started.keyId;
      state.counters.encryptions++;
      state.audit('encryptStream', context, keyId, false);
      return started;
    } catch (error) {
      state.audit('encryptStream', context, keyId, false, error);
      throw error;
    }
  }, frameLength);
}

function esdkDecryptStream(state: EnvelopeState, expected: EncryptionContext): Transform {
  let context: EncryptionContext = {};
  let keyId = state.keys.id;
  const open = esdkStreamOpener(state, expected, (c, k) => {
    context = c;
    keyId = k;
  });
  return esdkDecryptingTransform(async (header) => {
    try {
      const opened = await open(header);
      state.counters.decryptions++;
      state.audit('decryptStream', context, keyId, false);
      return opened;
    } catch (error) {
      state.audit('decryptStream', context, keyId, false, error);
      throw error;
    }
  }, state.maxWrappedKeys);
}

function compactDecryptStream(state: EnvelopeState, expected: EncryptionContext): Transform {
  return decryptingTransform(async (header) => {
    let keyId = state.keys.id;
    try {
      requireContext(expected, header.context);
      const cacheKey = openingKey(state, header.keyMaterialId);
      const key = await withMaterial(state, cacheKey, undefined, loadOpening(state, header.wrapped, header.context, cacheKey), (m) => {
        keyId = m.keyId;
        return openStreamKey(m, header);
      });
      state.counters.decryptions++;
      state.audit('decryptStream', header.context, keyId, false);
      return key;
    } catch (error) {
      state.audit('decryptStream', header.context, keyId, false, error);
      throw error;
    }
  });
}
