// Key derivation and key commitment (framework/transitive-requirements.md "HKDF Encryption
// Key" and "HKDF Commit Key"). Committing suites: one HKDF-SHA512 extract with the 32-byte
// message id as salt, then expand with info = suite id | "DERIVEKEY" (encryption key) and
// info = "COMMITKEY" (commit key). Legacy suites: salt = zeros, info = suite id | message
// id; identity-KDF suites use the data key as is.
import { createHmac, hkdfSync } from 'node:crypto';
import type { Suite } from './suites.js';

const DERIVE = Buffer.from('DERIVEKEY', 'utf8');
const COMMIT = Buffer.from('COMMITKEY', 'utf8');

export type MessageKey = { key: Buffer; commitment: Buffer };

const hashLength = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** One HKDF expand block (RFC 5869 §2.3; every output here is shorter than the hash). */
function expand(hash: string, prk: Buffer, info: Buffer, length: number): Buffer {
  return createHmac(hash, prk).update(info).update(ONE).digest().subarray(0, length);
}
const ONE = Buffer.from([1]);

/** The message's encryption key and (committing suites) commit key, derived from the data key. */
export function deriveMessageKey(suite: Suite, dataKey: Uint8Array, messageId: Buffer): MessageKey {
  if (suite.kdf === 'identity') return { key: Buffer.from(dataKey), commitment: EMPTY };
  const id = Buffer.from([suite.id >>> 8, suite.id & 0xff]);
  if (!suite.committing) {
    const salt = Buffer.alloc(hashLength[suite.kdf]);
    const info = Buffer.concat([id, messageId]);
    return { key: Buffer.from(hkdfSync(suite.kdf, dataKey, salt, info, suite.keyLength)), commitment: EMPTY };
  }
  // The spec's SHOULD: extract once, expand twice (three HMACs instead of four).
  const prk = createHmac(suite.kdf, messageId).update(dataKey).digest();
  const key = expand(suite.kdf, prk, Buffer.concat([id, DERIVE]), suite.keyLength);
  const commitment = expand(suite.kdf, prk, COMMIT, suite.suiteDataLength);
  prk.fill(0);
  return { key, commitment };
}

const EMPTY = Buffer.alloc(0);
