import { createHmac } from 'node:crypto';

// NIST SP 800-108r1 KDF in counter mode with HMAC-SHA-256, as the hierarchical keyring
// derives its per-message wrapping key (aws-kms-hierarchical-keyring.md §Appendix A; the
// reference is KdfCtr.dfy in the Material Providers Library and @aws-crypto/kdf-ctr-mode-node).
// Input to the PRF: counter (u32 BE, from 1) || label || 0x00 || context || L (u32 BE, bits).
// One HMAC block (32 bytes) is all a 32-byte wrapping key needs.

const LABEL = Buffer.from('aws-kms-hierarchy', 'utf8');
const SALT_AT = 4 + LABEL.length + 1;

/**
 * Derives the 32-byte AES-256-GCM wrapping key from a branch key and a 16-byte salt.
 * The caller owns and zeroizes the result.
 */
export function deriveWrappingKey(branchKey: Uint8Array, salt: Uint8Array): Buffer {
  // The whole PRF input in one buffer (one HMAC update, not five): counter 1 | label | 0x00
  // | salt | 256 (the output length in bits). None of it is secret.
  const input = Buffer.allocUnsafe(SALT_AT + salt.length + 4);
  input.writeUInt32BE(1, 0);
  LABEL.copy(input, 4);
  input[SALT_AT - 1] = 0;
  input.set(salt, SALT_AT);
  input.writeUInt32BE(256, SALT_AT + salt.length);
  return createHmac('sha256', branchKey).update(input).digest();
}
