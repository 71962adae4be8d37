import { awsCallFailure, PhisealError, type PhisealErrorDetails } from '@phiseal/core';

/** Bad input to an operation. */
export function invalidArgument(message: string, details?: PhisealErrorDetails): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', message, details === undefined ? undefined : { details });
}

/** Bad configuration of {@link encryptedQueue} or {@link decryptRecord}. */
export function invalidConfiguration(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

/** A size or count limit of SQS would be crossed. */
export function limitExceeded(message: string, details: PhisealErrorDetails): PhisealError {
  return new PhisealError('LIMIT_EXCEEDED', message, { details });
}

// One message for every undecryptable body, pointer or sealed-attribute block, as in
// @phiseal/core: neither a caller nor an attacker learns which check failed.
const UNREADABLE = 'The SQS message could not be decrypted: it was altered, is not a phiseal message, or the key does not match.';

/** A body, frame or pointer that does not decode. Same message as the envelope's failures. */
export function malformed(details?: PhisealErrorDetails): PhisealError {
  return new PhisealError('MALFORMED_CIPHERTEXT', UNREADABLE, details === undefined ? undefined : { details });
}

/** A decrypted part that does not belong with the rest of its message (for example a swapped sealed-attribute block). */
export function decryptionFailed(details?: PhisealErrorDetails): PhisealError {
  return new PhisealError('DECRYPTION_FAILED', UNREADABLE, details === undefined ? undefined : { details });
}

/**
 * A body or payload that is not encrypted at all (sent by a plain SQS or extended client).
 * Refused unless the caller opted into `acceptUnencrypted`.
 */
export function unencrypted(where: 'body' | 'payload', details: PhisealErrorDetails = {}): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `The message ${where} is not encrypted (a plain SQS or extended-client message). Set acceptUnencrypted: true to read such messages explicitly.`,
    { details: { ...details, unencrypted: true, where } },
  );
}

/** An offloaded payload that is gone. */
export function payloadMissing(details: PhisealErrorDetails, cause?: unknown): PhisealError {
  return new PhisealError(
    'PAYLOAD_MISSING',
    'The offloaded payload of an SQS message is missing from S3 (deleted, expired by a lifecycle rule, or never written).',
    cause === undefined ? { details } : { details, cause },
  );
}

/**
 * A failure that left something behind (a payload the cleanup could not delete): the original
 * failure stays in `cause` (a PhisealError keeps its code; an AWS service error, which has no
 * room for phiseal's report, becomes `AWS_REQUEST_FAILED`), and `details` say what is left.
 */
export function withLeftover(failure: Error, leftover: PhisealErrorDetails): PhisealError {
  if (PhisealError.is(failure)) {
    return new PhisealError(failure.code, failure.message, {
      cause: failure.cause ?? failure,
      details: { ...failure.details, ...leftover },
      retryable: failure.retryable,
    });
  }
  // A server-side or throttling answer (503, SlowDown) may succeed on retry; a refusal will not.
  const sdk = failure as { $fault?: unknown; $retryable?: unknown };
  return new PhisealError('AWS_REQUEST_FAILED', `The AWS call failed (${failure.name}) and left data behind.`, {
    cause: failure,
    details: { ...leftover, awsError: failure.name },
    retryable: sdk.$fault === 'server' || sdk.$retryable !== undefined,
  });
}

/**
 * A send whose outcome is unknown: an attempt reached SQS (or may have) and its answer was
 * lost. The message may be on the queue, so its payload is kept (a lifecycle rule reclaims it
 * if the message never was); a retry is safe with a FIFO deduplication id and may duplicate
 * otherwise. `cause` is the SDK error of the last attempt.
 */
export function outcomeUnknown(operation: string, cause: unknown, payload?: { bucket: string; key: string }): PhisealError {
  const awsError = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : 'Error';
  return new PhisealError('AWS_REQUEST_FAILED', `SQS ${operation} may or may not have taken effect (the answer was lost).`, {
    cause,
    retryable: true,
    details: {
      operation,
      awsError,
      outcome: 'unknown',
      ...(payload === undefined ? {} : { payloadBucket: payload.bucket, payloadKey: payload.key }),
    },
  });
}

/** The `code` reported for a failure in a batch result: phiseal's code, or the AWS error's name. */
export const failureCode = (error: Error): string => (PhisealError.is(error) ? error.code : error.name);

/**
 * The error policy for a failed SQS or S3 call: a service answer (QueueDoesNotExist,
 * AccessDenied…) is rethrown as the SDK's own object; no answer (reset, timeout) becomes
 * `AWS_REQUEST_FAILED`, retryable, with the original in `cause` (see `awsCallFailure`).
 */
export function awsRequestFailed(service: 'SQS' | 'S3', operation: string, cause: unknown, details: PhisealErrorDetails = {}): Error {
  return awsCallFailure(service, operation, cause, details);
}
