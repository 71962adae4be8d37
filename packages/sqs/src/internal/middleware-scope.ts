// How withEncryption tells the explicit API's own SQS requests from the caller's: an
// async-local flag set around each SQS call phiseal makes (sqsRequest), and around nothing
// else. Set around a whole operation instead, it was inherited by every callback phiseal
// called meanwhile (onDropped, the envelope's audit sink, a guard's onFinding), so a send
// such a callback made on the same client to an encrypted queue skipped encryption.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<true>();

/** Runs one SQS call of phiseal's own; withEncryption's middleware lets it through. */
export function ownRequest<T>(call: () => Promise<T>): Promise<T> {
  return scope.run(true, call);
}

/** Whether the request being sent is one of phiseal's own ({@link ownRequest}). */
export function isOwnRequest(): boolean {
  return scope.getStore() === true;
}
