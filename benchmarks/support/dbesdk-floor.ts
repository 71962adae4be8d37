// The node:crypto floor of one DB-ESDK item (issue 14): the cryptographic calls the format
// requires for one distinct item with suite 0x6700 and a raw AES keyring, whoever implements
// it, and nothing else — no attribute serialization, no objects, no cache, guard or audit:
//
//   encrypt: 32 random bytes each for the intermediate key, the plaintext data key and the
//     message id, and a 12-byte IV (one CSPRNG call); the keyring's AES-GCM wrap of the
//     intermediate key (AAD = the context); HKDF-SHA512 extract of the intermediate key and
//     its two expands (ENC, MAC); the AES-GCM wrap of the data key (IV 0); extract of the data
//     key and its two expands (commit key, field root key); one AES-256-CTR keystream for the
//     field keys; one AES-GCM per encrypted attribute (AAD = its canonical path); the header
//     commitment (HMAC-SHA512); the canonical record's SHA-384; the recipient tag (HMAC-SHA384).
//   decrypt: the keyring's GCM unwrap, the same three HMACs, the GCM unwrap of the data key,
//     the same three HMACs again, the keystream, the commitment, the record's hash and the tag
//     (constant-time compares), and one AES-GCM decryption per encrypted attribute.
//
// HMACs use the cheapest form node:crypto allows (two one-shot hashes over pre-padded keys:
// packages/dynamodb/src/internal/dbesdk/hmac.ts), so the floor is what phiseal could reach
// with zero overhead of its own; implementation ÷ floor is the overhead factor.
import { createCipheriv, createDecipheriv, hash, randomFillSync, timingSafeEqual } from 'node:crypto';
import { destroyHmacKey, hmac, hmacKey } from '../../packages/dynamodb/src/internal/dbesdk/hmac.js';

/** Sizes of one real stored item: the serialized context, the header, and per encrypted attribute its canonical path and value length. */
export type FloorShape = { context: Buffer; header: Buffer; fields: { path: Buffer; length: number }[]; signedBytes: number };

type Side = { encrypt: () => unknown; decrypt: () => unknown };

const ZERO_IV = Buffer.alloc(12);
const NO_SALT = hmacKey('sha512', Buffer.alloc(0));
const ENC = Buffer.from('AWS_MPL_INTERMEDIATE_KEYWRAP_ENC');
const MAC = Buffer.from('AWS_MPL_INTERMEDIATE_KEYWRAP_MAC');
const COMMIT = Buffer.from('AWS_DBE_COMMIT_KEY');
const DERIVE = Buffer.from('AWS_DBE_DERIVE_KEY');
const ONE = Buffer.of(1);

function gcm(key: Buffer, iv: Buffer, aad: Buffer, data: Buffer): { out: Buffer; tag: Buffer } {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const out = c.update(data);
  c.final();
  return { out, tag: c.getAuthTag() };
}

function ungcm(key: Buffer, iv: Buffer, aad: Buffer, data: Buffer, tag: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(aad);
  d.setAuthTag(tag);
  const out = d.update(data);
  d.final();
  return out;
}

// extract + two one-block expands of HKDF-SHA512 (no salt): 3 HMACs.
function hkdf2(ikm: Buffer, a: Buffer, b: Buffer, suffix?: Buffer): [Buffer, Buffer] {
  const prk = hmacKey('sha512', hmac(NO_SALT, ikm));
  try {
    return suffix
      ? [hmac(prk, a, suffix, ONE).subarray(0, 32), hmac(prk, b, suffix, ONE).subarray(0, 32)]
      : [hmac(prk, a, ONE).subarray(0, 32), hmac(prk, b, ONE).subarray(0, 32)];
  } finally {
    destroyHmacKey(prk);
  }
}

function fieldStream(root: Buffer, count: number): Buffer {
  const counter = Buffer.alloc(16);
  counter.write('AwsDbeField', 'latin1');
  counter[11] = 44;
  return createCipheriv('aes-256-ctr', root, counter).update(Buffer.alloc(48 * count));
}

/**
 * The bare per-item work for items shaped like `shape`.
 * @example
 * ```ts
 * const floor = dbesdkFloor(shapeOf(stored)); floor.encrypt(); floor.decrypt();
 * ```
 */
export function dbesdkFloor(shape: FloorShape): Side {
  const wrappingKey = randomFillSync(Buffer.alloc(32));
  const values = shape.fields.map((f) => randomFillSync(Buffer.alloc(f.length)));
  const record = Buffer.alloc(shape.header.length + 8 + shape.context.length + shape.signedBytes);
  const partial = shape.header.subarray(0, shape.header.length - 32);
  const random = Buffer.alloc(3 * 32 + 12);
  // What decrypt reads: one item sealed by the encrypt side, kept for every decrypt call.
  let sealed: { ikm: { out: Buffer; tag: Buffer }; iv: Buffer; pdk: { out: Buffer; tag: Buffer }; messageId: Buffer; fields: { out: Buffer; tag: Buffer }[]; commitment: Buffer; tag: Buffer } | undefined;

  const encrypt = (): void => {
    randomFillSync(random);
    const ikm = random.subarray(0, 32);
    const pdk = random.subarray(32, 64);
    const messageId = Buffer.from(random.subarray(64, 96));
    const iv = Buffer.from(random.subarray(96));
    const wrappedIkm = gcm(wrappingKey, iv, shape.context, ikm);
    const [kek, mac] = hkdf2(ikm, ENC, MAC);
    const wrappedPdk = gcm(kek, ZERO_IV, shape.context, pdk);
    const [commitKey, root] = hkdf2(pdk, COMMIT, DERIVE, messageId);
    const stream = fieldStream(root, values.length);
    const fields = values.map((v, i) => gcm(stream.subarray(48 * i, 48 * i + 32), stream.subarray(48 * i + 32, 48 * i + 44), shape.fields[i]!.path, v));
    const ck = hmacKey('sha512', commitKey);
    const commitment = hmac(ck, partial).subarray(0, 32);
    destroyHmacKey(ck);
    const digest = hash('sha384', record, 'buffer');
    const mk = hmacKey('sha384', mac);
    const tag = hmac(mk, digest);
    destroyHmacKey(mk);
    for (const k of [kek, mac, commitKey, root, stream]) k.fill(0);
    sealed ??= { ikm: wrappedIkm, iv, pdk: wrappedPdk, messageId, fields, commitment, tag };
  };

  const decrypt = (): void => {
    if (!sealed) encrypt();
    const s = sealed!;
    const ikm = ungcm(wrappingKey, s.iv, shape.context, s.ikm.out, s.ikm.tag);
    const [kek, mac] = hkdf2(ikm, ENC, MAC);
    const pdk = ungcm(kek, ZERO_IV, shape.context, s.pdk.out, s.pdk.tag);
    const [commitKey, root] = hkdf2(pdk, COMMIT, DERIVE, s.messageId);
    const ck = hmacKey('sha512', commitKey);
    if (!timingSafeEqual(hmac(ck, partial).subarray(0, 32), s.commitment)) throw new Error('floor: commitment');
    destroyHmacKey(ck);
    const mk = hmacKey('sha384', mac);
    if (!timingSafeEqual(hmac(mk, hash('sha384', record, 'buffer')), s.tag)) throw new Error('floor: tag');
    destroyHmacKey(mk);
    const stream = fieldStream(root, values.length);
    s.fields.forEach((f, i) => ungcm(stream.subarray(48 * i, 48 * i + 32), stream.subarray(48 * i + 32, 48 * i + 44), shape.fields[i]!.path, f.out, f.tag).fill(0));
    for (const k of [ikm, kek, mac, pdk, commitKey, root, stream]) k.fill(0);
  };
  return { encrypt, decrypt };
}
