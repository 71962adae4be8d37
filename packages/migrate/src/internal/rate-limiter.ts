import { setTimeout as sleep } from 'node:timers/promises';
import { PhisealError } from '@phiseal/core';

/**
 * Paces records: `take()` resolves when the next record may start.
 *
 * @example
 * ```ts
 * import { createRateLimiter, type RateLimiter } from '@phiseal/migrate';
 * const limiter: RateLimiter = createRateLimiter(50);
 * for (const item of items) {
 *   await limiter.take(); // at most 50 records a second
 *   await migrateItem({ client, table: patients, key: item }); // key: { pk: { S: '...' } }
 * }
 * ```
 */
export type RateLimiter = { take(): Promise<void> };

/**
 * At most `perSecond` records a second (evenly spaced, a burst of one second's worth after a
 * pause). Undefined: no limit.
 * @throws {@link PhisealError} `INVALID_ARGUMENT` for a rate that is not a positive finite number.
 * @example
 * ```ts
 * import { createRateLimiter } from '@phiseal/migrate';
 * const limiter = createRateLimiter(100); // createRateLimiter(undefined): no limit
 * await limiter.take();
 * ```
 */
export function createRateLimiter(perSecond: number | undefined): RateLimiter {
  if (perSecond === undefined) return { take: () => Promise.resolve() };
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new PhisealError('INVALID_ARGUMENT', 'maxRecordsPerSecond must be a positive number.');
  const interval = 1000 / perSecond;
  let next = Date.now();
  return {
    async take() {
      const now = Date.now();
      next = Math.max(next, now - 1000) + interval;
      const wait = next - interval - now;
      if (wait > 0) await sleep(wait);
    },
  };
}
