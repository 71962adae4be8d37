// What the error policy promises a caller after a fault: a PhisealError with `retryable`
// set right, or (for a service's own error answer) the SDK's error object, whose `$fault`
// and `$retryable` say the same.

type SdkError = { $metadata?: { httpStatusCode?: number }; $fault?: string; $retryable?: unknown; name?: string };

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'RequestThrottled', 'SlowDown', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded']);

function isPhiseal(error: unknown): error is { code: string; retryable: boolean } {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for('phiseal.error')] === true;
}

/** True when `error` tells the caller, in a typed way, that the same call may succeed later. */
export function isRetryableFailure(error: unknown): boolean {
  if (isPhiseal(error)) return error.retryable;
  const sdk = error as SdkError | null;
  if (typeof sdk?.$metadata?.httpStatusCode !== 'number') return false;
  return sdk.$fault === 'server' || sdk.$retryable !== undefined || THROTTLING.has(sdk.name ?? '');
}

/** A short description of an error for assertion messages (never its message text, which may hold values). */
export function describeFailure(error: unknown): string {
  if (isPhiseal(error)) return `PhisealError ${error.code} retryable=${error.retryable}`;
  const sdk = error as SdkError & { code?: string } | null;
  return `${sdk?.name ?? typeof error} status=${sdk?.$metadata?.httpStatusCode ?? '-'} fault=${sdk?.$fault ?? '-'} code=${sdk?.code ?? '-'}`;
}
