import type { WrappedKey } from '@phiseal/core';
import type { WrapAlgorithm } from './content-metadata.js';
import { malformed } from './errors.js';

const CODEC_VERSION = 1;
const CODEC_VERSION_INFO = 2;

function field(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * How a data-key wrapping is stored. A KMS wrapping is stored as the bare CiphertextBlob,
 * exactly as the official clients store it (they do not record the KMS key id: the blob
 * names it and KMS enforces it). Any other provider (for example a local raw AES key) is
 * stored in a phiseal-only layout under a phiseal-only wrapping algorithm that the official
 * clients refuse:
 *   version 1: version(1) | len(2) provider | len(2) keyId | wrapped bytes
 *   version 2: version(1) | len(2) provider | len(2) keyId | len(2) providerInfo | wrapped bytes
 * (version 2 when the wrapping carries ESDK provider information, e.g. a raw AES IV).
 */
export function storeWrappedKey(wrapped: WrappedKey): { wrapAlgorithm: WrapAlgorithm; bytes: Uint8Array } {
  if (wrapped.provider === 'aws-kms') return { wrapAlgorithm: 'kms+context', bytes: wrapped.ciphertext };
  const info = wrapped.providerInfo;
  const bytes = Buffer.concat([
    Uint8Array.of(info ? CODEC_VERSION_INFO : CODEC_VERSION),
    field(Buffer.from(wrapped.provider, 'utf8')),
    field(Buffer.from(wrapped.keyId, 'utf8')),
    ...(info ? [field(info)] : []),
    wrapped.ciphertext,
  ]);
  return { wrapAlgorithm: 'phiseal', bytes };
}

/**
 * The inverse of {@link storeWrappedKey}. A KMS wrapping gets an empty key id, which the
 * core KMS provider treats as "unknown" and answers by pinning Decrypt to each key it may use.
 * @throws PhisealError `MALFORMED_CIPHERTEXT`.
 */
export function loadWrappedKey(wrapAlgorithm: WrapAlgorithm, bytes: Uint8Array): WrappedKey {
  if (wrapAlgorithm === 'kms+context') return { provider: 'aws-kms', keyId: '', ciphertext: bytes };
  const buf = Buffer.from(bytes);
  if (buf.length < 5 || (buf[0] !== CODEC_VERSION && buf[0] !== CODEC_VERSION_INFO)) throw malformed();
  const providerLength = buf.readUInt16BE(1);
  const keyIdStart = 3 + providerLength;
  if (buf.length < keyIdStart + 2) throw malformed();
  const keyIdLength = buf.readUInt16BE(keyIdStart);
  let dataStart = keyIdStart + 2 + keyIdLength;
  let providerInfo: Uint8Array | undefined;
  if (buf[0] === CODEC_VERSION_INFO) {
    if (buf.length < dataStart + 2) throw malformed();
    const infoEnd = dataStart + 2 + buf.readUInt16BE(dataStart);
    if (buf.length < infoEnd) throw malformed();
    providerInfo = new Uint8Array(buf.subarray(dataStart + 2, infoEnd));
    dataStart = infoEnd;
  }
  if (buf.length <= dataStart) throw malformed();
  const base = {
    provider: buf.subarray(3, keyIdStart).toString('utf8'),
    keyId: buf.subarray(keyIdStart + 2, keyIdStart + 2 + keyIdLength).toString('utf8'),
    ciphertext: new Uint8Array(buf.subarray(dataStart)),
  };
  return providerInfo ? { ...base, providerInfo } : base;
}
