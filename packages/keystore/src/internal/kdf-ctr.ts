import { createHmac } from 'node:crypto';

// NIST SP 800-108r1 KDF in counter mode with HMAC-SHA-256, as the hierarchical keyring
// derives its per-message wrapping key (aws-kms-hierarchical-keyring.md §Appendix A; the
// reference is KdfCtr.dfy in the Material Providers Library and @aws-crypto/kdf-ctr-mode-node).
// Input to the PRF: counter (u32 BE, from 1) || label || 0x00 || context || L (u32 BE, bits).
// One HMAC block (32 bytes) is all a 32-byte wrapping key needs.

const LABEL = Buffer.from('aws-kms-hierarchy', 'utf8');

/**
 * Derives the 32-byte AES-256-GCM wrapping key from a branch key and a 16-byte salt.
 * The caller owns and zeroizes the result.
 */
export function deriveWrappingKey(branchKey: Uint8Array, salt: Uint8Array): Buffer {
  const counter = Buffer.from([0, 0, 0, 1]);
  const lengthBits = Buffer.from([0, 0, 0x01, 0x00]); // 256 bits
  return createHmac('sha256', branchKey)
    .update(counter)
    .update(LABEL)
    .update(Buffer.from([0]))
    .update(salt)
    .update(lengthBits)
    .digest();
}
