import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';

/**
 * A `DynamoDBClient` or a `DynamoDBDocumentClient` (which shares its client's stack): the
 * migration sends low-level commands, so stored items are seen exactly as stored.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import type { DynamoClientLike } from '@phiseal/migrate';
 * // A plain client, not one wrapped by withEncryption (that one is refused: INVALID_CONFIGURATION).
 * const client: DynamoClientLike = new DynamoDBClient({});
 * await migrateTable({ client, table: patients, segments: 4 });
 * ```
 */
export type DynamoClientLike = { send: DynamoDBClient['send']; middlewareStack?: unknown } | { send: (command: never) => Promise<unknown> };

type Stack = { identify?: () => string[] };

/**
 * The client as a sender of low-level commands. A client with phiseal's own middleware
 * (`withEncryption`) would decrypt what the migration must see raw and refuse its writes of
 * stored items, so it is refused up front rather than mis-migrating.
 * @throws PhisealError INVALID_CONFIGURATION
 */
export function rawDynamoClient(client: DynamoClientLike): DynamoDBClient {
  if (typeof client !== 'object' || client === null || typeof client.send !== 'function') {
    throw new PhisealError('INVALID_CONFIGURATION', 'The migration needs a DynamoDBClient (or DynamoDBDocumentClient).');
  }
  const stack = (client as { middlewareStack?: Stack }).middlewareStack;
  const names = typeof stack?.identify === 'function' ? stack.identify() : [];
  if (names.some((n) => n.startsWith('phisealDynamoDb'))) {
    throw new PhisealError('INVALID_CONFIGURATION', 'Pass the migration a plain DynamoDB client, not one wrapped by withEncryption: it reads and writes stored items as they are.');
  }
  return client as unknown as DynamoDBClient;
}
