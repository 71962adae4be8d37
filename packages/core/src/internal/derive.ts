import { hash } from 'node:crypto';

// Key separation and commitment (docs/format.md §4). The data key never touches AES
// directly: the content key and the commitment are independent HKDF-SHA256 outputs, so
// publishing the commitment reveals nothing about the content key, and a ciphertext
// cannot be made to decrypt under two different data keys (the "invisible salamanders"
// attack on plain GCM) because the commitment must match first.
//
// Every data-key cache miss runs this (adapters that only take data keys too), so HKDF is
// computed from one-shot hashes (RFC 2104: HMAC(K, m) = H((K ^ opad) | H((K ^ ipad) | m)))
// with one extraction shared by both expansions: hkdfSync sets up an OpenSSL KDF context per
// call and extracts twice. Same bytes (derive.property.test.ts checks them against hkdfSync).
const ENC_INFO = Buffer.from('phiseal/v1 AES-256-GCM content key', 'utf8');
const COMMIT_INFO = Buffer.from('phiseal/v1 key commitment', 'utf8');
const BLOCK = 64; // SHA-256 block
const DIGEST = 32;
const ONE = Buffer.of(1);

export type MessageKeys = { encKey: Buffer; commitment: Buffer };

// Scratch for the padded blocks: the work is synchronous, and it is zeroized before returning.
const scratch = Buffer.alloc(BLOCK + 64);

// HMAC-SHA256 under a key of at most one block (a PRK, or the empty salt) of a message of at most 64 bytes.
function hmacSha256(key: Uint8Array, message: Uint8Array): Buffer {
  const pad = (byte: number): void => {
    scratch.fill(byte, 0, BLOCK);
    for (let i = 0; i < key.length; i++) scratch[i]! ^= key[i]!;
  };
  try {
    pad(0x36);
    scratch.set(message, BLOCK);
    const innerDigest = hash('sha256', scratch.subarray(0, BLOCK + message.length), 'buffer');
    pad(0x5c);
    innerDigest.copy(scratch, BLOCK);
    innerDigest.fill(0);
    return hash('sha256', scratch.subarray(0, BLOCK + DIGEST), 'buffer');
  } finally {
    scratch.fill(0);
  }
}

export function deriveMessageKeys(dataKey: Uint8Array): MessageKeys {
  if (dataKey.length > scratch.length - BLOCK) throw new RangeError('data key');
  // Extract with no salt: HashLen zero bytes pad to the same block as an empty key (RFC 5869 §2.2).
  const prk = hmacSha256(new Uint8Array(0), dataKey);
  try {
    // One output block each (L = 32 = HashLen): T(1) = HMAC(PRK, info | 0x01).
    const expand = (info: Buffer): Buffer => hmacSha256(prk, Buffer.concat([info, ONE]));
    return { encKey: expand(ENC_INFO), commitment: expand(COMMIT_INFO) };
  } finally {
    prk.fill(0);
  }
}
