import { awsCallFailure, isAwsServiceError } from '@phiseal/core';
import { PhisealError, type PhisealErrorDetails } from '@phiseal/guard';

// One message for every decryption failure, so that neither a caller nor an attacker
// learns which check failed (tag, commitment, metadata, key).
const DECRYPTION_MESSAGE =
  'The S3 object could not be decrypted: it was altered, is not a readable S3 Encryption Client object, or the key does not match.';

/** A ciphertext, tag, commitment or key that does not verify. */
export function decryptionFailed(cause?: unknown): PhisealError {
  return new PhisealError('DECRYPTION_FAILED', DECRYPTION_MESSAGE, cause === undefined ? undefined : { cause });
}

/** Content metadata that cannot be parsed. Same message as {@link decryptionFailed}. */
export function malformed(cause?: unknown): PhisealError {
  return new PhisealError('MALFORMED_CIPHERTEXT', DECRYPTION_MESSAGE, cause === undefined ? undefined : { cause });
}

/** Bad input to an operation. */
export function invalidArgument(message: string, details?: PhisealErrorDetails): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', message, details === undefined ? undefined : { details });
}

/** A body past AES-GCM's message limit (NIST SP 800-38D: 2^39 - 256 bits), counted over the whole object. */
export function tooLargeForGcm(): PhisealError {
  return new PhisealError('LIMIT_EXCEEDED', 'The object is larger than one AES-GCM message allows (about 64 GiB).');
}

/**
 * The error policy for a failed S3 call: a service answer (NoSuchKey, AccessDenied…) is
 * rethrown as the SDK's own object; no answer (reset, timeout, cut body) becomes
 * `AWS_REQUEST_FAILED`, retryable, with the original in `cause` (see `awsCallFailure`).
 */
export function awsRequestFailed(operation: string, cause: unknown): Error {
  return awsCallFailure('S3', operation, cause);
}

/**
 * A write whose answer was lost (`details.outcome: 'unknown'`): the object may exist, complete
 * and valid. A retry is safe (it writes the same object again); a clean-up is not.
 */
export function outcomeUnknown(operation: string, cause: unknown): PhisealError {
  return new PhisealError('AWS_REQUEST_FAILED', `S3 ${operation} may or may not have stored the object (the answer was lost).`, {
    cause,
    retryable: true,
    details: { operation, awsError: errorName(cause), outcome: 'unknown' },
  });
}

/**
 * The error of a failed write that left something behind it could not remove (for example
 * `incompleteUpload: { bucket, key, uploadId }`: names the guard already checked, no PHI).
 * A PhisealError keeps its code; an SDK error (a service answer or none) becomes the `cause`
 * of an `AWS_REQUEST_FAILED` that says so, since the SDK's object has no room for the report.
 */
export function leftBehind(error: unknown, operation: string, details: PhisealErrorDetails): PhisealError {
  if (PhisealError.is(error)) {
    return new PhisealError(error.code, error.message, {
      ...(error.cause === undefined ? {} : { cause: error.cause }),
      retryable: error.retryable,
      details: { ...error.details, ...details },
    });
  }
  // A 4xx answer will be given again; no answer or a 5xx may not.
  const retryable = !isAwsServiceError(error) || error.$fault === 'server';
  return new PhisealError('AWS_REQUEST_FAILED', `S3 ${operation} failed (${errorName(error)}) and left data behind.`, {
    cause: error,
    retryable,
    details: { ...details, operation, awsError: errorName(error) },
  });
}

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error';
