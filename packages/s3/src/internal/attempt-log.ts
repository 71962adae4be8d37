// Whether a failed write may still have happened. The SDK retries up to maxAttempts times and
// throws only the last attempt's error, but an earlier attempt may have reached S3 and lost its
// answer (a connection reset after the request was sent): the object exists, and removing its
// instruction file would make it unreadable (issue #17, defect 5). So each attempt is recorded,
// below the SDK's retry loop, on the command itself (the caller's client is untouched).
// (The same rule as @phiseal/sqs's attempt log; each package keeps its internals.)

type Stack = { middlewareStack: { add: (middleware: never, options: Record<string, unknown>) => void } };

/** What the attempts of one command proved. */
export type AttemptLog = {
  /**
   * True when some attempt went out and got no answer that proves S3 refused it: a cut
   * connection, a timeout, a truncated answer, or a 5xx (AWS documents that a 500 may have
   * been processed). False when no attempt went out or every one was refused with a 4xx.
   */
  ambiguous(): boolean;
};

function refused(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Starts recording the attempts of `command` (call before sending it). */
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
