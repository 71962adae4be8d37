// The SDK's standard retry decisions (which errors are retryable is still the SDK's call:
// CLIENT_ERROR is never retried), with `maxAttempts` explicit and a fixed few-millisecond
// delay instead of exponential back-off, so that fault tests run in seconds.

type Token = { getRetryCount(): number; getRetryDelay(): number; getRetryTokenCount(): number };
type ErrorInfo = { errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR' };

/** A retry strategy (the SDK's RetryStrategyV2 shape) for a client's `retryStrategy` option. */
export type FastRetry = {
  mode: 'standard';
  acquireInitialRetryToken(scope: string): Promise<Token>;
  refreshRetryTokenForRetry(token: Token, info: ErrorInfo): Promise<Token>;
  recordSuccess(token: Token): void;
};

const token = (count: number, delayMs: number): Token => ({
  getRetryCount: () => count,
  getRetryDelay: () => delayMs,
  getRetryTokenCount: () => 0,
});

/** At most `maxAttempts` attempts per call, `delayMs` apart. */
export function fastRetry(maxAttempts: number, delayMs = 5): FastRetry {
  return {
    mode: 'standard',
    acquireInitialRetryToken: () => Promise.resolve(token(0, delayMs)),
    refreshRetryTokenForRetry: (previous, info) => {
      const next = previous.getRetryCount() + 1;
      // Rejecting tells the SDK to give up and throw the last error as it is.
      if (next >= maxAttempts || info.errorType === 'CLIENT_ERROR') return Promise.reject(new Error('retries exhausted'));
      return Promise.resolve(token(next, delayMs));
    },
    recordSuccess: () => undefined,
  };
}
