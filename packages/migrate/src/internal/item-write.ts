import { GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionFailure } from './failure.js';
import type { ReadCondition } from './item-condition.js';
import type { StoredItem } from './item-state.js';

/** What every item write of a run needs (migrate and rewrap alike; built once per run or segment). */
export type WriteRun = {
  readonly client: DynamoDBClient;
  readonly dryRun: boolean;
  /** Conflicts tolerated per item before it is reported failed (`CONFLICT`, retryable). */
  readonly maxConflictRetries: number;
  /** Test seam: runs between the read and the conditional write (a concurrent writer's moment). */
  readonly beforeWrite?: (item: StoredItem) => Promise<void>;
};

/** What a conditional put found: written (with the item it replaced), or the condition failed (with the item there now, if any). */
export type PutResult = { written: true; old: StoredItem | undefined } | { written: false; current: StoredItem | undefined };

/**
 * PutItem `item` if `condition` holds, returning the replaced item (ALL_OLD) so that a change
 * the condition could not see is still noticed, and on failure the item now stored
 * (ReturnValuesOnConditionCheckFailure, or a consistent GetItem where that is not answered).
 */
export async function conditionalPut(client: DynamoDBClient, tableName: string, item: StoredItem, condition: ReadCondition, key: StoredItem): Promise<PutResult> {
  const { exact: _exact, ...expression } = condition;
  try {
    const out = await client.send(
      new PutItemCommand({ TableName: tableName, Item: item, ...expression, ReturnValues: 'ALL_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    );
    return { written: true, old: out.Attributes };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
    if (returned !== undefined) return { written: false, current: returned };
    return { written: false, current: await readItem(client, tableName, key) };
  }
}

/** A strongly consistent read of one item by key. */
export async function readItem(client: DynamoDBClient, tableName: string, key: StoredItem): Promise<StoredItem | undefined> {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return out.Item;
}
