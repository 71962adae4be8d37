// Raw AES keyring key provider information (framework/raw-aes-keyring.md "Key Provider
// Information"): key name (UTF-8) | u32 tag length in bits (128) | u32 IV length (12) | IV.
// The EDK ciphertext is the wrapped key followed by the 16-byte GCM tag.

export const WRAP_IV_LENGTH = 12;
export const WRAP_TAG_BITS = 128;
const TRAILER = 8 + WRAP_IV_LENGTH;

export function rawAesInfo(keyName: Uint8Array, iv: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(keyName.length + TRAILER);
  out.set(keyName, 0);
  out.writeUInt32BE(WRAP_TAG_BITS, keyName.length);
  out.writeUInt32BE(WRAP_IV_LENGTH, keyName.length + 4);
  out.set(iv, keyName.length + 8);
  return out;
}

/** The key name and IV of raw AES provider information, or undefined when it is not that layout. */
export function parseRawAesInfo(info: Uint8Array): { keyName: Buffer; iv: Buffer } | undefined {
  if (info.length < TRAILER) return undefined;
  const b = Buffer.from(info.buffer, info.byteOffset, info.byteLength);
  const at = b.length - TRAILER;
  if (b.readUInt32BE(at) !== WRAP_TAG_BITS || b.readUInt32BE(at + 4) !== WRAP_IV_LENGTH) return undefined;
  return { keyName: b.subarray(0, at), iv: b.subarray(at + 8) };
}
