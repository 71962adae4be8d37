// Key derivation and key commitment (framework/transitive-requirements.md "HKDF Encryption
// Key" and "HKDF Commit Key"). Committing suites: one HKDF-SHA512 extract with the 32-byte
// message id as salt, then expand with info = suite id | "DERIVEKEY" (encryption key) and
// info = "COMMITKEY" (commit key). Legacy suites: salt = zeros, info = suite id | message
// id; identity-KDF suites use the data key as is.
import { hkdfSync } from 'node:crypto';
import { hmacSecretAndPublic, hmacSha512 } from './hmac.js';
import type { Suite } from './suites.js';

export type MessageKey = { key: Buffer; commitment: Buffer };

const hashLength = { sha256: 32, sha384: 48, sha512: 64 } as const;

// HKDF-Expand's first block is HMAC(PRK, info | 0x01) (RFC 5869 §2.3); every output here is
// shorter than the hash, so one block is all. The info strings are constant per suite, so
// they are built once with the counter byte appended (one HMAC update instead of two, and
// no per-message concatenation).
const COMMIT_INFO = Buffer.from('COMMITKEY\u0001', 'latin1');
const deriveInfo = new Map<number, Buffer>();
function deriveInfoOf(suiteId: number): Buffer {
  let info = deriveInfo.get(suiteId);
  if (!info) {
    info = Buffer.concat([Buffer.from([suiteId >>> 8, suiteId & 0xff]), Buffer.from('DERIVEKEY\u0001', 'latin1')]);
    deriveInfo.set(suiteId, info);
  }
  return info;
}

/** An expand block truncated to `length`; the bytes past it are zeroized (they are key stream too). */
function truncate(block: Buffer, length: number): Buffer {
  block.fill(0, length);
  return block.subarray(0, length);
}

/** The message's encryption key and (committing suites) commit key, derived from the data key. */
export function deriveMessageKey(suite: Suite, dataKey: Uint8Array, messageId: Buffer): MessageKey {
  if (suite.kdf === 'identity') return { key: Buffer.from(dataKey), commitment: EMPTY };
  if (!suite.committing) {
    const salt = Buffer.alloc(hashLength[suite.kdf]);
    const info = Buffer.concat([Buffer.from([suite.id >>> 8, suite.id & 0xff]), messageId]);
    return { key: Buffer.from(hkdfSync(suite.kdf, dataKey, salt, info, suite.keyLength)), commitment: EMPTY };
  }
  // The spec's SHOULD: extract once, expand twice (three HMACs instead of four). Every
  // committing suite is HKDF-SHA512 (framework/algorithm-suites.md).
  const [prk] = hmacSha512(messageId, [dataKey]) as [Buffer];
  // The commit key is public (the header stores it): see hmac.ts on why it may be a string.
  const [derived, committed] = hmacSecretAndPublic(prk, deriveInfoOf(suite.id), COMMIT_INFO);
  prk.fill(0);
  const key = truncate(derived, suite.keyLength);
  const commitment = Buffer.from(committed.slice(0, suite.suiteDataLength), 'latin1');
  return { key, commitment };
}

const EMPTY = Buffer.alloc(0);
