// How withEncryption tells phiseal's own S3 requests from the caller's: an async-local flag set
// around each S3 call phiseal makes, and around nothing else. Set around a whole PutObject or
// GetObject instead, it was inherited by every callback phiseal called meanwhile (the
// envelope's audit sink, a guard's onFinding), so a PutObject such a callback made on the same
// client to an encrypted bucket was stored in plaintext.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { S3Client } from '@aws-sdk/client-s3';

const scope = new AsyncLocalStorage<true>();

/** Runs one S3 call of phiseal's own; withEncryption's middleware lets it through. */
export function ownRequest<T>(call: () => Promise<T>): Promise<T> {
  return scope.run(true, call);
}

/** Whether the request being sent is one of phiseal's own ({@link ownRequest}). */
export function isOwnRequest(): boolean {
  return scope.getStore() === true;
}

/**
 * The caller's client as phiseal's operations use it: the same client (configuration,
 * middleware, credentials), whose `send` marks each call as phiseal's own.
 */
export function ownClient<C extends S3Client>(client: C): C {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'send') return (...args: Parameters<C['send']>) => ownRequest(() => (target.send as (...a: unknown[]) => Promise<unknown>)(...args));
      return Reflect.get(target, property, target) as unknown;
    },
  });
}
