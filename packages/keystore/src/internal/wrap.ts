import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionContext } from '@phiseal/core';
import { deriveWrappingKey } from './kdf-ctr.js';
import { bytesToUuid, uuidToBytes } from './uuid.js';
import { wrappingAad } from './wrapping-aad.js';

// The encrypted data key of the hierarchical keyring (aws-kms-hierarchical-keyring.md
// §OnEncrypt and §Ciphertext): salt (16) || IV (12) || branch key version (16) ||
// AES-256-GCM(derived key, IV, AAD, data key) (32) || tag (16) = 92 bytes.
const SALT = 16;
const IV = 12;
const VERSION = 16;
const DATA_KEY = 32;
const TAG = 16;
/** Length of every wrapped 32-byte data key. */
export const WRAPPED_LENGTH = SALT + IV + VERSION + DATA_KEY + TAG;

/** The parts of a wrapped data key, before any key is used. */
export type WrappedParts = { salt: Buffer; iv: Buffer; version: string; body: Buffer; tag: Buffer; versionBytes: Buffer };

/** Splits a stored wrapped key; undefined when its length is not the spec's. */
export function splitWrapped(ciphertext: Uint8Array): WrappedParts | undefined {
  if (ciphertext.length !== WRAPPED_LENGTH) return undefined;
  const b = Buffer.from(ciphertext);
  let at = 0;
  const take = (n: number): Buffer => b.subarray(at, (at += n));
  const salt = take(SALT);
  const iv = take(IV);
  const versionBytes = take(VERSION);
  const body = take(DATA_KEY);
  const tag = take(TAG);
  return { salt, iv, versionBytes, version: bytesToUuid(versionBytes), body, tag };
}

/**
 * Wraps a 32-byte data key under a branch key version. A fresh salt per call gives a fresh
 * derived key, so the random 96-bit IV is never reused under one AES key.
 */
export function wrapDataKey(
  dataKey: Uint8Array,
  branch: { branchKeyId: string; version: string; key: Uint8Array },
  context: EncryptionContext,
): Uint8Array {
  const versionBytes = uuidToBytes(branch.version);
  if (!versionBytes || dataKey.length !== DATA_KEY) throw new RangeError('wrapDataKey: bad version or data key');
  const salt = randomBytes(SALT);
  const iv = randomBytes(IV);
  const derived = deriveWrappingKey(branch.key, salt);
  try {
    const cipher = createCipheriv('aes-256-gcm', derived, iv);
    cipher.setAAD(wrappingAad(branch.branchKeyId, versionBytes, context));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([salt, iv, versionBytes, body, cipher.getAuthTag()]);
  } finally {
    derived.fill(0);
  }
}

/** Unwraps; undefined when the tag does not verify (wrong key, version, id or context, or tampering). */
export function unwrapDataKey(
  parts: WrappedParts,
  branch: { branchKeyId: string; key: Uint8Array },
  context: EncryptionContext,
): Buffer | undefined {
  const derived = deriveWrappingKey(branch.key, parts.salt);
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived, parts.iv);
    decipher.setAAD(wrappingAad(branch.branchKeyId, parts.versionBytes, context));
    decipher.setAuthTag(parts.tag);
    const out = decipher.update(parts.body);
    try {
      decipher.final();
    } catch {
      out.fill(0);
      return undefined;
    }
    return out;
  } finally {
    derived.fill(0);
  }
}
