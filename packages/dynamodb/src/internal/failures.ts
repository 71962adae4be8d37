import { PhisealError } from '@phiseal/core';

// One message for every decryption failure, so neither a caller nor an attacker learns
// which check failed (tag, legend, type, GCM, header syntax).
const MESSAGE = 'The DynamoDB item could not be decrypted or verified (tampered, incomplete, from another table or key, or not encrypted by phiseal).';

/**
 * The error for any item that does not verify or decrypt.
 * @throws never (returns the error).
 * @example
 * ```ts
 * throw decryptionFailed();
 * ```
 */
export function decryptionFailed(cause?: unknown): PhisealError {
  return new PhisealError('DECRYPTION_FAILED', MESSAGE, cause === undefined ? undefined : { cause });
}

/**
 * The error for a header that does not parse (same message as {@link decryptionFailed}).
 * @throws never (returns the error).
 * @example
 * ```ts
 * throw malformedHeader();
 * ```
 */
export function malformedHeader(): PhisealError {
  return new PhisealError('MALFORMED_CIPHERTEXT', MESSAGE);
}

/**
 * The error for a refused request; `instead` says what to do.
 * @throws never (returns the error).
 * @example
 * ```ts
 * throw unsupported('PartiQL', 'use the item commands');
 * ```
 */
export function unsupported(what: string, instead: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', `${what} is not supported on an encrypted table: ${instead}`);
}
