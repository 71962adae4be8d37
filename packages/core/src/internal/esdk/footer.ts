// Message footer and signatures (data-format/message-footer.md; framework/algorithm-suites.md
// "Asymmetric Signature Algorithm"; framework/transitive-requirements.md "ECDSA"):
//   footer: u16 signature length | DER-encoded ECDSA signature
// over the whole header (body and authentication) and the whole body. The verification
// key travels in the encryption context as `aws-crypto-public-key`: the base64 of the
// compressed curve point (framework/default-cmm.md).
import { ECDH, createPublicKey, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decryptionFailed, malformed } from '../failures.js';
import type { Suite } from './suites.js';

type Signing = NonNullable<Suite['signing']>;

const CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

/** A fresh signing key pair and the context value that publishes its public half. */
export function generateSigningKey(signing: Signing): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVE[signing.curve] });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  // SEC 1 §2.3.3 compressed point: 0x02 | x for even y, 0x03 | x for odd y.
  const compressed = Buffer.concat([Buffer.from([2 + (y[y.length - 1]! & 1)]), x]);
  return { privateKey, publicKey: compressed.toString('base64') };
}

/** The verification key a message's context names; MALFORMED_CIPHERTEXT when it is not a point of the curve. */
export function verificationKey(signing: Signing, encoded: string | undefined): KeyObject {
  if (encoded === undefined) throw malformed();
  const compressed = Buffer.from(encoded, 'base64');
  if (compressed.length !== signing.pointLength || compressed.toString('base64') !== encoded) throw malformed();
  try {
    const point = ECDH.convertKey(compressed, CURVE[signing.curve], undefined, undefined, 'uncompressed') as Buffer;
    const half = (point.length - 1) / 2;
    return createPublicKey({
      key: {
        kty: 'EC',
        crv: signing.curve,
        x: point.subarray(1, 1 + half).toString('base64url'),
        y: point.subarray(1 + half).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw malformed();
  }
}

/** Incremental signer over the header and body bytes as they are written. */
export const signer = (signing: Signing) => createSign(signing.hash);
/** Incremental verifier over the header and body bytes as they are read. */
export const verifier = (signing: Signing) => createVerify(signing.hash);

export function footer(signature: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + signature.length);
  out.writeUInt16BE(signature.length, 0);
  signature.copy(out, 2);
  return out;
}

/** Lays out a footer at `at`; undefined when `bytes` ends first. */
export function readFooter(bytes: Buffer, at: number): { signature: Buffer; length: number } | undefined {
  if (at + 2 > bytes.length) return undefined;
  const end = at + 2 + bytes.readUInt16BE(at);
  if (end > bytes.length) return undefined;
  return { signature: bytes.subarray(at + 2, end), length: end - at };
}

/** Checks a footer signature; DECRYPTION_FAILED when it does not verify. */
export function checkSignature(verify: ReturnType<typeof verifier>, key: KeyObject, signature: Buffer): void {
  let ok = false;
  try {
    ok = verify.verify({ key, dsaEncoding: 'der' }, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw decryptionFailed();
}
