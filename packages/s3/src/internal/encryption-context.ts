import { PhisealError } from '@phiseal/guard';
import { CEK_ALG_CONTEXT_KEY, KMS_V1_CONTEXT_KEY, V2_CONTENT_CIPHER, V3_CONTENT_CIPHER } from './constants.js';
import type { ContentFormat } from './content-cipher.js';
import { decryptionFailed, invalidArgument } from './errors.js';

const ASCII = /^[\x20-\x7e]*$/;

/**
 * Checks a caller's encryption context: string keys and values, printable US-ASCII only
 * (S3 re-encodes non-ASCII metadata, which would break the stored context), and no
 * reserved `aws:x-amz-cek-alg` key (spec materials/s3-kms-keyring.md#kms-context).
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function validateCallerContext(context: unknown): Record<string, string> {
  if (context === undefined) return {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw invalidArgument('context must be an object of string keys and values.');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value !== 'string') throw invalidArgument('context values must be strings.');
    if (!ASCII.test(key) || !ASCII.test(value)) {
      throw invalidArgument('context keys and values must be printable US-ASCII (S3 metadata re-encodes anything else).');
    }
    if (key === CEK_ALG_CONTEXT_KEY || key === KMS_V1_CONTEXT_KEY) {
      throw invalidArgument(`context key ${key} is reserved by the S3 Encryption Client format.`);
    }
    out[key] = value;
  }
  return out;
}

/** The `aws:x-amz-cek-alg` value of a format: the cipher name for V2, the suite id "115" for V3. */
export function contentAlgorithmName(format: ContentFormat): string {
  return format === 'v3' ? V3_CONTENT_CIPHER : V2_CONTENT_CIPHER;
}

/**
 * The context sent to KMS and stored with the object: the caller's context plus the
 * reserved `aws:x-amz-cek-alg` entry, as the official KMS keyring builds it (spec
 * materials/s3-kms-keyring.md). Binding the algorithm into the KMS context means a
 * V3 object relabelled as V2 no longer unwraps.
 */
export function storedContext(caller: Readonly<Record<string, string>>, format: ContentFormat): Record<string, string> {
  return { ...caller, [CEK_ALG_CONTEXT_KEY]: contentAlgorithmName(format) };
}

/**
 * The exact-context check on read (spec materials/s3-kms-keyring.md#kms-context): the
 * stored context with the reserved keys removed must equal the caller's context, key for
 * key. Also checks that the stored algorithm entry names the object's format, so that
 * metadata relabelled to another format fails before any key is used.
 * @throws PhisealError `CONTEXT_MISMATCH` when the contexts differ; `DECRYPTION_FAILED` when the algorithm entry is wrong.
 */
export function checkStoredContext(
  stored: Readonly<Record<string, string>>,
  requested: Readonly<Record<string, string>>,
  format: ContentFormat,
): void {
  if (stored[CEK_ALG_CONTEXT_KEY] !== contentAlgorithmName(format)) throw decryptionFailed();
  const rest = Object.entries(stored).filter(([k]) => k !== CEK_ALG_CONTEXT_KEY && k !== KMS_V1_CONTEXT_KEY);
  const requestedKeys = Object.keys(requested);
  const same = rest.length === requestedKeys.length && rest.every(([k, v]) => requested[k] === v);
  if (!same) {
    throw new PhisealError(
      'CONTEXT_MISMATCH',
      'The encryption context given does not equal the one stored with the object (S3 Encryption Client objects require the exact context).',
    );
  }
}
