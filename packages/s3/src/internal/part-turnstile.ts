import { PhisealError } from '@phiseal/guard';

/**
 * Lets parts through one at a time in part-number order (1, 2, 3…): the S3 Encryption Client
 * body is one AES-GCM stream, so part n can only be encrypted after part n-1. Parts that
 * arrive early wait; a part number already taken is refused (its cipher state is gone).
 */
export type Turnstile = {
  /** Resolves when `partNumber` is next; rejects if it is taken, the upload failed, or the wait times out. */
  wait: (partNumber: number) => Promise<void>;
  /** `partNumber` is encrypted: let the next one through. */
  advance: (partNumber: number) => void;
  /** Fails the upload: every waiting and later part is refused. */
  fail: (error: unknown) => void;
  failed: () => boolean;
};

/**
 * How long a part waits for its predecessor. `Upload` pulls parts in order before sending,
 * so the predecessor is microseconds away; a longer wait means it will never come (sent out
 * of order, or its sender gave up), and the upload fails instead of hanging.
 */
export const PART_ORDER_TIMEOUT_MS = 30_000;

function refused(reason: string, message: string, cause?: unknown): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', message, {
    details: { command: 'UploadPart', reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A turnstile starting at part 1. */
export function turnstile(timeoutMs: number = PART_ORDER_TIMEOUT_MS): Turnstile {
  let next = 1;
  let held = false;
  let failure: unknown;
  const waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void; timer: NodeJS.Timeout }>();

  const fail = (error: unknown): void => {
    failure ??= error;
    for (const waiter of waiting.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    waiting.clear();
  };
  const failedEarlier = (): PhisealError =>
    refused('upload-failed', 'An earlier part of this multipart upload failed, so the encrypted stream cannot continue. Abort the upload and start again.', failure);

  return {
    wait(partNumber) {
      if (failure !== undefined) return Promise.reject(failedEarlier());
      if (partNumber < next || (partNumber === next && held) || waiting.has(partNumber)) {
        const error = refused('part-resent', `Part ${partNumber} was already sent: an encrypted part cannot be sent twice (the SDK retries failed attempts itself). Abort the upload and start again.`);
        fail(error);
        return Promise.reject(error);
      }
      if (partNumber === next) {
        held = true;
        return Promise.resolve();
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          fail(
            refused('part-order', `Part ${partNumber} waited ${timeoutMs / 1000} s for part ${partNumber - 1}: parts of an encrypted object must be sent in order 1, 2, 3… (concurrently is fine).`),
          );
        }, timeoutMs);
        timer.unref();
        waiting.set(partNumber, { resolve, reject, timer });
      });
    },
    advance(partNumber) {
      next = partNumber + 1;
      held = false;
      const waiter = waiting.get(next);
      if (waiter === undefined) return;
      waiting.delete(next);
      clearTimeout(waiter.timer);
      held = true;
      waiter.resolve();
    },
    fail,
    failed: () => failure !== undefined,
  };
}
