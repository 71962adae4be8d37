// Whether a failed write may still have happened. The SDK retries a call up to maxAttempts
// times and throws only the last attempt's error, but an earlier attempt may have reached the
// service and lost its answer (a connection reset after the request was sent): the object or
// message exists. Removing what goes with it (an S3 instruction file, an SQS payload) would make
// it unreadable or a poison message (issue #17, defects 2 and 5). So each attempt is recorded,
// below the SDK's retry loop, on the command itself (the caller's client is untouched).

type Stack = { middlewareStack: { add: (middleware: never, options: Record<string, unknown>) => void } };

/**
 * What the attempts of one command proved.
 *
 * @example
 * ```ts
 * import { trackAttempts, type AttemptLog } from '@phiseal/core';
 * const command = new PutObjectCommand(input);
 * const attempts: AttemptLog = trackAttempts(command);
 * await s3.send(command).catch((error: unknown) => {
 *   if (attempts.ambiguous()) console.warn('the object may exist: outcome unknown');
 *   throw error;
 * });
 * ```
 */
export type AttemptLog = {
  /**
   * True when some attempt went out and got no answer that proves the service refused it: a
   * cut connection, a timeout, a truncated answer, or a 5xx (AWS documents that a 500 may have
   * been processed). False when no attempt went out or every one was refused with a 4xx.
   */
  ambiguous(): boolean;
};

function refused(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Starts recording the attempts of an AWS SDK v3 `command` (call it before sending the
 * command), so that after a failure an adapter can tell "refused" from "outcome unknown".
 *
 * @throws never
 * @example
 * ```ts
 * const command = new SendMessageCommand(input);
 * const attempts = trackAttempts(command);
 * try { await sqs.send(command); }
 * catch (error) { if (!attempts.ambiguous()) await removePayload(); throw error; }
 * ```
 */
export function trackAttempts(command: object): AttemptLog {
  let ambiguous = false;
  const middleware =
    (next: (args: unknown) => Promise<unknown>) =>
    async (args: unknown): Promise<unknown> => {
      try {
        return await next(args);
      } catch (error) {
        if (!refused(error)) ambiguous = true;
        throw error;
      }
    };
  // finalizeRequest, low priority: inside the retry loop (one call per attempt), after signing
  // (an attempt that fails before it is sent, for example on credentials, is not recorded).
  (command as Stack).middlewareStack.add(middleware as never, { step: 'finalizeRequest', priority: 'low', name: 'phisealAttemptLog' });
  return { ambiguous: () => ambiguous };
}
