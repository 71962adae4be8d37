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

/** Wraps an AWS SDK failure without copying its message (it may echo request values). */
export function awsRequestFailed(operation: string, cause: unknown): PhisealError {
  if (PhisealError.is(cause)) return cause;
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : 'Error';
  return new PhisealError('AWS_REQUEST_FAILED', `S3 ${operation} failed (${name}).`, {
    cause,
    details: { operation, awsError: name },
  });
}

/**
 * A write whose answer was lost (`details.outcome: 'unknown'`): the object may exist, complete
 * and valid. A retry is safe (it writes the same object again); a clean-up is not.
 */
export function outcomeUnknown(operation: string, cause: unknown): PhisealError {
  const base = awsRequestFailed(operation, cause);
  return new PhisealError('AWS_REQUEST_FAILED', `S3 ${operation} may or may not have stored the object (the answer was lost).`, {
    cause: base.cause ?? cause,
    retryable: true,
    details: { ...base.details, outcome: 'unknown' },
  });
}

/**
 * The error of a failed write that left something behind it could not remove (for example
 * `incompleteUpload: { bucket, key, uploadId }`: names the guard already checked, no PHI).
 * An SDK error becomes the `cause` of an `AWS_REQUEST_FAILED` that says so.
 */
export function leftBehind(error: unknown, operation: string, details: PhisealErrorDetails): PhisealError {
  const base = PhisealError.is(error) ? error : awsRequestFailed(operation, error);
  return new PhisealError(base.code, base.message, {
    ...(base.cause === undefined ? {} : { cause: base.cause }),
    retryable: base.retryable,
    details: { ...base.details, ...details },
  });
}
