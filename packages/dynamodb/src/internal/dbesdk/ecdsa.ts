import { createPublicKey, ECDH, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { SIGNATURE_BYTES } from './suites.js';

// The ECDSA P-384 part of suite 0x6701 (footer.md "Signature"; the MPL default CMM): a fresh
// key pair per item, the public key in the encryption context as base64 of the compressed
// point, and a DER signature over the canonical hash that is always 103 bytes long (the
// footer has no length field, so signing repeats until the DER encoding has that length).

const CURVE = 'secp384r1';

/** A signing key pair for one item. */
export type ItemSigner = { readonly privateKey: KeyObject; readonly publicKeyText: string };

/**
 * A fresh signing key pair and the context value of its public key.
 * @throws never
 * @example
 * ```ts
 * const signer = newSigner(); ec['aws-crypto-public-key'] = signer.publicKeyText;
 * ```
 */
export function newSigner(): ItemSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVE });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  const compressed = Buffer.concat([Buffer.from([(y[y.length - 1]! & 1) === 0 ? 0x02 : 0x03]), x]);
  return { privateKey, publicKeyText: compressed.toString('base64') };
}

/**
 * Signs the canonical hash (ECDSA with SHA-384 over it, as the MPL does), 103 DER bytes.
 * @throws never
 * @example
 * ```ts
 * const signature = signHash(signer, canonicalHash);
 * ```
 */
export function signHash(signer: ItemSigner, hash: Uint8Array): Buffer {
  for (;;) {
    const sig = sign('sha384', hash, signer.privateKey);
    if (sig.length === SIGNATURE_BYTES) return sig;
  }
}

/**
 * Verifies a footer signature against the public key from the context.
 * @throws never (false for a malformed key or signature)
 * @example
 * ```ts
 * if (!verifyHash(ec['aws-crypto-public-key'], hash, signature)) throw decryptionFailed();
 * ```
 */
export function verifyHash(publicKeyText: string, hash: Uint8Array, signature: Uint8Array): boolean {
  try {
    const compressed = Buffer.from(publicKeyText, 'base64');
    if (compressed.length !== 49 || compressed.toString('base64') !== publicKeyText) return false;
    const point = ECDH.convertKey(compressed, CURVE, undefined, undefined, 'uncompressed') as Buffer;
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-384', x: point.subarray(1, 49).toString('base64url'), y: point.subarray(49).toString('base64url') },
      format: 'jwk',
    });
    return verify('sha384', hash, key, signature);
  } catch {
    return false;
  }
}
