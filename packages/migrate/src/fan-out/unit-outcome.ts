// How the fan-out handlers report one record: done, worth retrying later, or failed for
// good. Reasons are short fixed words (or an AWS/phiseal error code), never a key, a value
// or an SDK message: Batch Operations copies them into its completion report and Step
// Functions into its results, both stored in the clear.
import { isAwsServiceError, PhisealError } from '@phiseal/core';

/** One record's outcome. `retry` means the same call may succeed later (throttling, 5xx, a conflicting write). */
export type UnitOutcome =
  | { readonly kind: 'succeeded'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string; readonly cause: unknown }
  | { readonly kind: 'failed'; readonly reason: string };

// Throttling answers of S3, DynamoDB, KMS and STS (service error names as the SDK reports them).
const THROTTLED = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded',
  'TooManyRequestsException', 'ProvisionedThroughputExceededException', 'RequestThrottled', 'RequestThrottledException',
]);
// A write lost a race with another writer: re-reading and retrying resolves it.
const CONFLICT = new Set([
  'PreconditionFailed', 'ConditionalRequestConflict', 'OperationAborted', 'ConditionalCheckFailedException',
  'TransactionConflictException',
]);
const MISSING = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);
const TIMEOUTS = new Set(['RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
// An error name is echoed only when it looks like a code, so nothing else can ride along.
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/** A successful outcome. @throws never @example `succeeded('migrated')` */
export function succeeded(reason: string): UnitOutcome {
  return { kind: 'succeeded', reason };
}

/** A permanent failure with a fixed reason. @throws never @example `failed('phi-detected')` */
export function failed(reason: string): UnitOutcome {
  return { kind: 'failed', reason };
}

function phisealOutcome(error: PhisealError): UnitOutcome {
  if (error.code === 'PHI_DETECTED') return failed('phi-detected');
  const reason = error.code.toLowerCase().replaceAll('_', '-');
  return error.retryable ? { kind: 'retry', reason, cause: error } : failed(reason);
}

function serviceOutcome(error: Error & { $fault: 'client' | 'server'; $metadata: { httpStatusCode?: number } }): UnitOutcome {
  const name = SAFE_NAME.test(error.name) ? error.name : 'unknown';
  const status = error.$metadata.httpStatusCode ?? 0;
  if (THROTTLED.has(name)) return { kind: 'retry', reason: 'throttled', cause: error };
  if (CONFLICT.has(name) || status === 409 || status === 412) return { kind: 'retry', reason: 'conflict', cause: error };
  if (TIMEOUTS.has(name)) return { kind: 'retry', reason: 'timeout', cause: error };
  if (error.$fault === 'server' || status >= 500) return { kind: 'retry', reason: 'service-unavailable', cause: error };
  if (MISSING.has(name) || status === 404) return failed(name === 'NoSuchVersion' ? 'no-such-version' : 'no-such-key');
  if (name === 'AccessDenied' || name === 'AccessDeniedException') return failed('access-denied');
  return failed(`aws-${name}`);
}

function isTransportFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata } = error as { name?: unknown; code?: unknown; $metadata?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (typeof name === 'string' && TIMEOUTS.has(name)) return true;
  // The SDK attaches $metadata to what it throws; without an HTTP status there was no answer.
  return typeof $metadata === 'object' && $metadata !== null;
}

/**
 * Sorts an error thrown while migrating one record into retry-later or failed-for-good,
 * with a reason that holds no key and no value.
 * @throws never
 * @example
 * ```ts
 * classifyFailure(new PhisealError('PHI_DETECTED', '…')); // { kind: 'failed', reason: 'phi-detected' }
 * ```
 */
export function classifyFailure(error: unknown): UnitOutcome {
  if (PhisealError.is(error)) return phisealOutcome(error);
  if (isAwsServiceError(error)) return serviceOutcome(error);
  if (isTransportFailure(error)) return { kind: 'retry', reason: 'request-failed', cause: error };
  return failed('internal-error');
}
