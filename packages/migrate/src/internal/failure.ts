import { isAwsServiceError, PhisealError } from '@phiseal/core';

/** A value-free reason: a code and whether a later run may succeed. */
export type Failure = { code: string; retryable: boolean };

const THROTTLING = /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown|TooManyRequests/;
// Codes whose name is the only safe thing to keep: AWS error names are fixed identifiers.
const NAME = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

// Errors of the code itself, never of a request: a retry cannot fix them.
const PROGRAMMING = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

/**
 * Reduces any error to a code that holds no value: a PhisealError's code, an AWS error's
 * name (messages may quote keys or values, so they are never kept). Any other error came from
 * a request that got no answer (reset, timeout, refused connection): the error policy's
 * `AWS_REQUEST_FAILED`, retryable, so a fan-out engine retries it instead of giving up on the
 * record; only a programming error is `INTERNAL`.
 */
export function describeFailure(error: unknown): Failure {
  if (PhisealError.is(error)) return { code: error.code, retryable: error.retryable };
  if (isAwsServiceError(error)) {
    const name = NAME.test(error.name) ? error.name : 'AwsServiceError';
    const status = error.$metadata.httpStatusCode ?? 0;
    return { code: name, retryable: THROTTLING.test(name) || status >= 500 || status === 429 };
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'ABORTED', retryable: true };
  if (error instanceof Error && !PROGRAMMING.has(error.name)) return { code: 'AWS_REQUEST_FAILED', retryable: true };
  return { code: 'INTERNAL', retryable: false };
}

/** True for DynamoDB's and S3's "the condition did not hold" answers. */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}

/** True for "the record is not there". */
export function isMissing(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion';
}
