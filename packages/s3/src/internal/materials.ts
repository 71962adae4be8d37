import type { Envelope } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';
import type { CommitmentPolicy, S3Format } from '../types.js';
import type { ContentKey } from './content-cipher.js';
import type { ContentMetadata } from './content-metadata.js';
import { prepareDecryption, prepareEncryption } from './content-seal.js';
import { checkStoredContext, storedContext } from './encryption-context.js';
import { decryptionFailed } from './errors.js';
import { loadWrappedKey, storeWrappedKey } from './wrapped-key-codec.js';

/** Content key and metadata of one object being written. */
export type WriteMaterials = { meta: ContentMetadata; content: ContentKey; keyId: string };

/**
 * Gets a data key from the envelope for the caller's context plus the reserved
 * `aws:x-amz-cek-alg` entry (what KMS sees and what is stored), and prepares the object's
 * content key. The data key comes through the envelope's cache: V3 derives a distinct
 * content key per object from a fresh 224-bit message id; V2 uses it with a fresh random
 * 96-bit IV, safe far beyond the cache's per-key message limit (2^32 per NIST SP 800-38D 8.3).
 */
export async function writeMaterials(
  envelope: Envelope,
  format: S3Format,
  callerContext: Readonly<Record<string, string>>,
  bytes: number | undefined,
): Promise<WriteMaterials> {
  const context = storedContext(callerContext, format);
  const dataKey = await envelope.dataKey(context, bytes === undefined ? { messages: 1 } : { messages: 1, bytes });
  try {
    const stored = storeWrappedKey(dataKey.wrapped);
    const prepared = prepareEncryption({
      format,
      dataKey: dataKey.key,
      wrapAlgorithm: stored.wrapAlgorithm,
      encryptedDataKey: stored.bytes,
      context,
    });
    return { ...prepared, keyId: dataKey.wrapped.keyId };
  } finally {
    dataKey.key.fill(0);
  }
}

/**
 * Refuses a non-committing object under a policy that requires commitment, before any key
 * is used (spec decryption.md#key-commitment).
 * @throws PhisealError `COMMITMENT_POLICY_VIOLATION`.
 */
export function checkReadPolicy(policy: CommitmentPolicy, format: S3Format): void {
  if (policy === 'require-encrypt-require-decrypt' && format !== 'v3') {
    throw new PhisealError(
      'COMMITMENT_POLICY_VIOLATION',
      'This object uses the non-committing V2 format, which the commitment policy require-encrypt-require-decrypt refuses to read. Use require-encrypt-allow-decrypt while migrating V2 objects.',
      { details: { format } },
    );
  }
}

/**
 * The content key of an object being read: policy check, exact-context check, then the
 * data key unwrapped through the envelope (KMS Decrypt with the stored context) and, for
 * V3, the commitment verified.
 * @throws PhisealError `COMMITMENT_POLICY_VIOLATION`, `CONTEXT_MISMATCH`, `DECRYPTION_FAILED`, `KEY_NOT_ALLOWED`, `KMS_UNAVAILABLE`.
 */
export async function readMaterials(
  envelope: Envelope,
  policy: CommitmentPolicy,
  meta: ContentMetadata,
  requestedContext: Readonly<Record<string, string>>,
): Promise<ContentKey> {
  checkReadPolicy(policy, meta.format);
  checkStoredContext(meta.context, requestedContext, meta.format);
  let dataKey: Uint8Array;
  try {
    dataKey = await envelope.unwrapDataKey(loadWrappedKey(meta.wrapAlgorithm, meta.encryptedDataKey), meta.context);
  } catch (error) {
    // One message for every decryption failure, whichever layer found it.
    if (PhisealError.is(error) && (error.code === 'DECRYPTION_FAILED' || error.code === 'MALFORMED_CIPHERTEXT')) {
      throw decryptionFailed(error);
    }
    throw error;
  }
  try {
    return prepareDecryption(meta, dataKey);
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Refuses a write format the policy forbids (spec client.md#key-commitment).
 * @throws PhisealError `COMMITMENT_POLICY_VIOLATION`.
 */
export function checkWritePolicy(policy: CommitmentPolicy, format: S3Format): void {
  const ok = policy === 'forbid-encrypt-allow-decrypt' ? format === 'v2' : format === 'v3';
  if (!ok) {
    throw new PhisealError(
      'COMMITMENT_POLICY_VIOLATION',
      `The commitment policy ${policy} does not allow writing the ${format} format (V3 requires a require-encrypt policy, V2 requires forbid-encrypt-allow-decrypt).`,
      { details: { policy, format } },
    );
  }
}
