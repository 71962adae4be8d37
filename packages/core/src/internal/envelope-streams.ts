// Envelope steps for the stream format (docs/format.md §9).
import type { Transform } from 'node:stream';
import type { DecryptOptions, EncryptStreamOptions } from '../envelope-types.js';
import { checkContext } from './context.js';
import { requireContext } from './envelope-support.js';
import { loadOpening, loadSealing, openingKey, sealingKey, withMaterial, withSealing } from './envelope-material.js';
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

/** What a stream's start learns for its audit event: the key that wrapped the data key, and the message's context. */
type StreamStart = { keyId: string; context: EncryptionContext };

/**
 * Runs a stream's start (the data key, the header) and audits it once, success or failure,
 * with the key id and context `seen` holds by then (`start` updates it as it learns them), so
 * every stream, compact or ESDK, reading or writing, leaves the same trail.
 */
async function auditedStreamStart<T>(state: EnvelopeState, operation: 'encryptStream' | 'decryptStream', seen: StreamStart, start: () => T | Promise<T>): Promise<T> {
  try {
    const started = await start();
    state.counters[operation === 'encryptStream' ? 'encryptions' : 'decryptions']++;
    state.audit(operation, seen.context, seen.keyId, false);
    return started;
  } catch (error) {
    state.audit(operation, seen.context, seen.keyId, false, error);
    throw error;
  }
}

/** A Transform that encrypts into the stream format; the data key is fetched on the first chunk. */
export function encryptStreamFor(state: EnvelopeState, options?: EncryptStreamOptions): Transform {
  state.alive();
  const context = checkContext(options?.context);
  if (checkFormat(options?.format, state.settings.format) === 'esdk') return esdkEncryptStream(state, context, options);
  const frameLength = options?.frameLength ?? DEFAULT_FRAME;
  if (!Number.isSafeInteger(frameLength) || frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
    throw invalidArgument(`frameLength must be an integer from ${MIN_FRAME} to ${MAX_FRAME}`);
  }
  return encryptingTransform(() => {
    const seen = { keyId: state.keys.id, context };
    const usage = { messages: 1, bytes: 0 };
    return auditedStreamStart(state, 'encryptStream', seen, () =>
      withSealing(state, sealingKey(state, context), usage, context, loadSealing(state, context), (m) => {
        seen.keyId = m.keyId;
        return startStream(m, context, frameLength);
      }),
    );
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
  return esdkEncryptingTransform(() => {
    const seen = { keyId: state.keys.id, context };
    return auditedStreamStart(state, 'encryptStream', seen, async () => {
      const started = await esdkStartStream(state, context, frameLength);
      seen.keyId = started.keyId;
      return started;
    });
  }, frameLength);
}

function esdkDecryptStream(state: EnvelopeState, expected: EncryptionContext): Transform {
  // The context is the message's, known once its header is read: audited with it from then on.
  const seen: StreamStart = { keyId: state.keys.id, context: {} };
  const open = esdkStreamOpener(state, expected, (c, k) => {
    seen.context = c;
    seen.keyId = k;
  });
  return esdkDecryptingTransform((header) => auditedStreamStart(state, 'decryptStream', seen, () => open(header)), state.maxWrappedKeys);
}

function compactDecryptStream(state: EnvelopeState, expected: EncryptionContext): Transform {
  return decryptingTransform((header) => {
    const seen = { keyId: state.keys.id, context: header.context };
    return auditedStreamStart(state, 'decryptStream', seen, () => {
      requireContext(expected, header.context);
      const cacheKey = openingKey(state, header.keyMaterialId);
      return withMaterial(state, cacheKey, undefined, loadOpening(state, header.wrapped, header.context, cacheKey), (m) => {
        seen.keyId = m.keyId;
        return openStreamKey(m, header);
      });
    });
  });
}
