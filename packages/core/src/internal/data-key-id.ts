// The cache key of a data key that `envelope.unwrapDataKey` returns (and that `envelope.dataKey`
// seeds when it generates one): the wrapped keys and the context, as one string. It is built on
// every data-key cache miss of an adapter that stores the wrapped key itself (one per distinct
// DynamoDB item), so it is a string of length-prefixed fields, not the compact message header
// (`encodeWrappedKeys`, with its byte writer, UTF-8 encodes and key-id compaction).
//
// Injective: every field is length-prefixed (two UTF-16 units of length, then the field) and the
// context is its canonical ESDK serialization, so two different lists or contexts never share a
// key and no data key is ever served for another context. Lists that differ only in spelling the same ESDK provider information (absent, or
// the key id's UTF-8) get the same key, as they name the same wrapping.
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { isWellFormed, toBuffer } from './bytes.js';
import { contextTextOf } from './context-text.js';
import { invalidArgument } from './failures.js';

const field = (length: number, text: string): string => String.fromCharCode(length >>> 16, length & 0xffff) + text;
const bytesField = (bytes: Uint8Array): string => field(bytes.length, toBuffer(bytes).toString('latin1'));

function isWrappedKey(key: unknown): key is WrappedKey {
  if (typeof key !== 'object' || key === null) return false;
  const { provider, keyId, ciphertext, providerInfo } = key as Partial<WrappedKey>;
  return (
    typeof provider === 'string' &&
    provider.length > 0 &&
    typeof keyId === 'string' &&
    ciphertext instanceof Uint8Array &&
    (providerInfo === undefined || providerInfo instanceof Uint8Array)
  );
}

// Provider information equal to the key id's UTF-8 is the key id again (the ESDK default).
function infoField(keyId: string, info: Uint8Array | undefined): string {
  if (info === undefined) return '\u0000';
  if (info.length === Buffer.byteLength(keyId, 'utf8') && toBuffer(info).equals(Buffer.from(keyId, 'utf8'))) return '\u0000';
  return `\u0001${bytesField(info)}`;
}

/**
 * The identity of `wrapped` under `context`, for the data-key cache. `text`, when given, is
 * `contextTextOf(context)` (the caller serialized it already).
 * @throws {@link PhisealError} `INVALID_ARGUMENT` for an empty list, more than 255 keys, an entry
 * that is not a wrapped key, a provider name or key id with a lone surrogate, or an invalid context.
 */
export function dataKeyId(wrapped: readonly WrappedKey[], context: EncryptionContext, text?: string): string {
  if (wrapped.length === 0 || wrapped.length > 255) throw invalidArgument('between 1 and 255 wrapped keys are required');
  let out = String.fromCharCode(wrapped.length);
  for (const key of wrapped) {
    if (!isWrappedKey(key)) throw invalidArgument('a wrapped key needs a provider, a keyId and a ciphertext');
    if (!isWellFormed(key.provider) || !isWellFormed(key.keyId)) {
      throw invalidArgument('provider names and key ids must be well-formed Unicode (no lone surrogates)');
    }
    out += field(key.provider.length, key.provider) + field(key.keyId.length, key.keyId) + infoField(key.keyId, key.providerInfo) + bytesField(key.ciphertext);
  }
  return out + (text ?? contextTextOf(context));
}
