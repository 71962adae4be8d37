// HMAC-SHA-512 (RFC 2104 §2) from node:crypto's one-shot `hash` (Node >= 20.12; the
// engines field asks for >= 20.19):
//   HMAC(K, m) = H((K ^ opad) | H((K ^ ipad) | m)),  K zero-padded to the 128-byte block.
// Why not createHmac: building an Hmac object fetches the digest and hashes both pads on
// every call, about three one-shot digests' worth; a committing ESDK message needs three
// HMACs (one HKDF extract, two expands: framework/transitive-requirements.md), and they were
// the largest single cost of a 1 KiB message. Here the pads of a key are built once for all
// the messages MACed under it (both expands share the PRK), and each MAC is two `hash` calls.
import { hash } from 'node:crypto';

/** SHA-512 block and digest sizes (FIPS 180-4 §1). */
const BLOCK = 128;
const DIGEST = 64;
/** The longest message MACed here: an HKDF input (a 32-byte data key, or an info string). */
const MAX_MESSAGE = 64;

// Scratch for the padded blocks, reused by every call: the work is synchronous, so no other
// call can interleave, and both are zeroized before returning (they hold key-derived bytes).
const inner = Buffer.alloc(BLOCK + MAX_MESSAGE);
const outer = Buffer.alloc(BLOCK + DIGEST);
/** Views of `inner` by message length, made once (a subarray per call was a measurable cost). */
const innerViews: Buffer[] = [];

function writePads(key: Uint8Array): void {
  for (let i = 0; i < key.length; i++) {
    inner[i] = key[i]! ^ 0x36;
    outer[i] = key[i]! ^ 0x5c;
  }
  // The zero padding XORed with the pad bytes is the pad bytes themselves.
  inner.fill(0x36, key.length, BLOCK);
  outer.fill(0x5c, key.length, BLOCK);
}

function innerView(message: Uint8Array): Buffer {
  if (message.length > MAX_MESSAGE) throw new RangeError('hmacSha512: message longer than 64 bytes');
  inner.set(message, BLOCK);
  return (innerViews[message.length] ??= inner.subarray(0, BLOCK + message.length));
}

function mac(message: Uint8Array): Buffer {
  const innerDigest = hash('sha512', innerView(message), 'buffer');
  innerDigest.copy(outer, BLOCK);
  innerDigest.fill(0);
  return hash('sha512', outer, 'buffer');
}

// A MAC whose value is public once made (the commit key: every message header stores it).
// Its inner digest H((K ^ ipad) | m) yields nothing without K (that would need a SHA-512
// preimage), so both come back as latin1 strings, which node makes far more cheaply than
// Buffers (about 0.6 µs less per digest); they hold nothing that needs zeroizing.
function publicMac(message: Uint8Array): string {
  // 'binary' is node's name for latin1 here: one character per byte.
  outer.write(hash('sha512', innerView(message), 'binary'), BLOCK, 'latin1');
  return hash('sha512', outer, 'binary');
}

function withPads<T>(key: Uint8Array, run: () => T): T {
  if (key.length > BLOCK) throw new RangeError('hmacSha512: key longer than a block');
  writePads(key);
  try {
    return run();
  } finally {
    inner.fill(0);
    outer.fill(0);
  }
}

/**
 * HMAC-SHA-512 of each message under one key (at most one block long, as every HKDF key
 * here is: a 32-byte message id salt or a 64-byte PRK). The caller owns and zeroizes the results.
 */
export const hmacSha512 = (key: Uint8Array, messages: readonly Uint8Array[]): Buffer[] => withPads(key, () => messages.map(mac));

/**
 * HMAC-SHA-512 of a secret result's message (a Buffer the caller zeroizes) and of a public
 * result's message (a latin1 string: see publicMac) under one key, whose pads are built once.
 */
export const hmacSecretAndPublic = (key: Uint8Array, secret: Uint8Array, published: Uint8Array): [Buffer, string] =>
  withPads(key, () => [mac(secret), publicMac(published)]);
