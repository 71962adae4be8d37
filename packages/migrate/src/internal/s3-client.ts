import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';

type Stack = { identify?: () => string[] };

/**
 * The client as a sender of plain S3 commands. A client wrapped by `withEncryption` would
 * decrypt what the migration must see as stored, so it is refused up front.
 * @throws PhisealError INVALID_CONFIGURATION
 */
export function rawS3Client(client: S3Client): S3Client {
  if (typeof client !== 'object' || client === null || typeof client.send !== 'function') {
    throw new PhisealError('INVALID_CONFIGURATION', 'The migration needs an S3Client.');
  }
  const stack = (client as { middlewareStack?: Stack }).middlewareStack;
  const names = typeof stack?.identify === 'function' ? stack.identify() : [];
  if (names.some((n) => n.startsWith('phisealS3'))) {
    throw new PhisealError('INVALID_CONFIGURATION', 'Pass the migration a plain S3 client, not one wrapped by withEncryption: it reads and writes stored objects as they are.');
  }
  return client;
}
