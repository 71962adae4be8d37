import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item as the low-level client returns it. */
export type StoredItem = Record<string, AttributeValue>;

// Classification is the adapter's own (`itemState` of @phiseal/dynamodb): the migration and the
// switch-over stages must agree on what plaintext is, or one could encrypt what the other refuses.
export { itemState } from '@phiseal/dynamodb';
