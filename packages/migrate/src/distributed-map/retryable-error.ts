// Step Functions retries a failed Lambda task when the error's name matches a Retry
// block's ErrorEquals (the Lambda Node.js runtime reports `error.name` as the errorType).
// The handler throws an error with this one name only for failures a retry can fix, so a
// Retry on it never repeats a permanent failure.
import { PhisealError } from '@phiseal/core';
import type { UnitOutcome } from '../fan-out/unit-outcome.js';

/**
 * The error name to list in the Distributed Map's Retry `ErrorEquals`.
 *
 * @example
 * ```ts
 * import { RETRYABLE_ERROR_NAME } from '@phiseal/migrate';
 * // The item processor's Retry block in the state machine definition:
 * const retry = [{ ErrorEquals: [RETRYABLE_ERROR_NAME], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }];
 * ```
 */
export const RETRYABLE_ERROR_NAME = 'PhisealRetryableError';

/**
 * The error thrown for a batch in which some items hit throttling, a 5xx, a network
 * failure or a write conflict: a `PhisealError` (`KMS_UNAVAILABLE` when KMS was the cause,
 * else `AWS_REQUEST_FAILED`), `retryable: true`, named {@link RETRYABLE_ERROR_NAME}. Items
 * that were done are skipped when the batch runs again (an encrypted record is left alone).
 * @throws never (returns the error)
 * @example
 * ```ts
 * throw retryableBatchError([{ kind: 'retry', reason: 'throttled', cause }], 10);
 * ```
 */
export function retryableBatchError(retries: readonly Extract<UnitOutcome, { kind: 'retry' }>[], items: number): PhisealError {
  const kms = retries.some((r) => r.reason === 'kms-unavailable');
  const first = retries[0];
  const error = new PhisealError(
    kms ? 'KMS_UNAVAILABLE' : 'AWS_REQUEST_FAILED',
    'Some items of this batch failed in a way a retry can fix (throttling, a 5xx, a lost connection, a concurrent write); run the batch again.',
    { retryable: true, cause: first?.cause, details: { reason: first?.reason ?? 'unknown', retryItems: retries.length, items } },
  );
  error.name = RETRYABLE_ERROR_NAME;
  return error;
}
