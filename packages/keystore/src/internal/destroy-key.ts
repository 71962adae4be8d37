import { DeleteItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ddbFailure } from './aws-errors.js';
import { ACTIVE_TYPE, BRANCH_KEY_ID, TYPE } from './constants.js';
import type { StoreContext } from './store-context.js';

// Crypto-shredding: a branch key exists only as KMS ciphertexts in these records, so once
// every record is gone no process can obtain it again, and every data key wrapped under
// it (salt || IV || version || AES-GCM body) is 60 bytes of ciphertext under an unknowable
// key. The active record goes first so no new data is encrypted under the key while the
// rest are deleted; the query is repeated until empty so a version written concurrently
// (versionKey racing destroy) is deleted too.

async function typesOf(ctx: StoreContext, branchKeyId: string): Promise<string[]> {
  const types: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    try {
      const out = await ctx.ddb.send(
        new QueryCommand({
          TableName: ctx.tableName,
          KeyConditionExpression: '#id = :id',
          ExpressionAttributeNames: { '#id': BRANCH_KEY_ID, '#t': TYPE },
          ExpressionAttributeValues: { ':id': { S: branchKeyId } },
          ProjectionExpression: '#t',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) if (typeof item[TYPE]?.S === 'string') types.push(item[TYPE].S);
      start = out.LastEvaluatedKey;
    } catch (error) {
      throw ddbFailure(error, 'Query');
    }
  } while (start);
  return types.sort((a, b) => (a === ACTIVE_TYPE ? -1 : b === ACTIVE_TYPE ? 1 : 0));
}

/** Deletes every record of a branch key; returns how many were deleted. */
export async function destroyBranchKey(ctx: StoreContext, branchKeyId: string): Promise<number> {
  await ctx.ready;
  let deleted = 0;
  for (let round = 0; round < 5; round++) {
    const types = await typesOf(ctx, branchKeyId);
    if (types.length === 0) return deleted;
    for (const type of types) {
      try {
        await ctx.ddb.send(
          new DeleteItemCommand({ TableName: ctx.tableName, Key: { [BRANCH_KEY_ID]: { S: branchKeyId }, [TYPE]: { S: type } } }),
        );
      } catch (error) {
        throw ddbFailure(error, 'DeleteItem', true);
      }
      deleted++;
    }
  }
  return deleted;
}
