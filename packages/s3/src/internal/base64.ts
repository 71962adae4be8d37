import { malformed } from './errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 (with padding), as every official S3EC writes it. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Strict base64 decoding: Node's decoder silently skips invalid characters, which would
 * let altered metadata decode to something; here anything non-canonical is malformed.
 * @throws PhisealError `MALFORMED_CIPHERTEXT`.
 */
export function fromBase64(text: string | undefined, expectedLength?: number): Buffer {
  if (text === undefined || !BASE64.test(text)) throw malformed();
  const bytes = Buffer.from(text, 'base64');
  if (expectedLength !== undefined && bytes.length !== expectedLength) throw malformed();
  return bytes;
}
