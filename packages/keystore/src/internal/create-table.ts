import { CreateTableCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { CreateTableResult } from '../key-store-types.js';
import { ddbFailure } from './aws-errors.js';
import { BRANCH_KEY_ID, TYPE } from './constants.js';
import type { StoreContext } from './store-context.js';

// branch-key-store.md §CreateKeyStore: partition key `branch-key-id` (S), sort key `type`
// (S). On-demand billing, as the Material Providers Library creates it. An existing table
// is accepted only with exactly that key schema: anything else is not a key store.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function hasKeyStoreSchema(table: TableDescription): boolean {
  const schema = table.KeySchema ?? [];
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const hash = schema.find((k) => k.KeyType === 'HASH');
  const range = schema.find((k) => k.KeyType === 'RANGE');
  return (
    schema.length === 2 &&
    hash?.AttributeName === BRANCH_KEY_ID &&
    range?.AttributeName === TYPE &&
    types.get(BRANCH_KEY_ID) === 'S' &&
    types.get(TYPE) === 'S'
  );
}

async function describe(ctx: StoreContext): Promise<TableDescription | undefined> {
  try {
    return (await ctx.ddb.send(new DescribeTableCommand({ TableName: ctx.tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw ddbFailure(error, 'DescribeTable');
  }
}

/** Creates or verifies the key-store table and waits (up to ~2 minutes) until it is ACTIVE. */
export async function createKeyStoreTable(ctx: StoreContext): Promise<CreateTableResult> {
  await ctx.ready;
  let table = await describe(ctx);
  const created = table === undefined;
  if (!table) {
    try {
      const out = await ctx.ddb.send(
        new CreateTableCommand({
          TableName: ctx.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: BRANCH_KEY_ID, AttributeType: 'S' },
            { AttributeName: TYPE, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: BRANCH_KEY_ID, KeyType: 'HASH' },
            { AttributeName: TYPE, KeyType: 'RANGE' },
          ],
        }),
      );
      table = out.TableDescription;
    } catch (error) {
      throw ddbFailure(error, 'CreateTable', true);
    }
  }
  for (let wait = 100; table?.TableStatus !== 'ACTIVE' && wait < 60_000; wait *= 2) {
    await sleep(wait);
    table = await describe(ctx);
  }
  if (!table || !hasKeyStoreSchema(table)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'The table exists but does not have the key-store key schema (branch-key-id S, type S).');
  }
  return { tableArn: table.TableArn, created };
}
