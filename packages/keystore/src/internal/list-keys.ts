import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { BranchKeySummary } from '../key-store-types.js';
import { ddbFailure } from './aws-errors.js';
import { ACTIVE_TYPE, BEACON_TYPE, BRANCH_KEY_ID, TYPE, VERSION, VERSION_PREFIX } from './constants.js';
import type { StoreContext } from './store-context.js';

/** Scans only the key attributes (and the active pointer) of every record; decrypts nothing. */
export async function listBranchKeys(ctx: StoreContext): Promise<BranchKeySummary[]> {
  await ctx.ready;
  const keys = new Map<string, BranchKeySummary>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    let out;
    try {
      out = await ctx.ddb.send(
        new ScanCommand({
          TableName: ctx.tableName,
          ProjectionExpression: '#id, #t, #v',
          ExpressionAttributeNames: { '#id': BRANCH_KEY_ID, '#t': TYPE, '#v': VERSION },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
    } catch (error) {
      throw ddbFailure(error, 'Scan');
    }
    for (const item of out.Items ?? []) {
      const id = item[BRANCH_KEY_ID]?.S;
      const type = item[TYPE]?.S;
      if (id === undefined || type === undefined) continue;
      const entry = keys.get(id) ?? { branchKeyId: id, activeVersion: undefined, versions: [], hasBeaconKey: false };
      if (type === BEACON_TYPE) entry.hasBeaconKey = true;
      else if (type === ACTIVE_TYPE) entry.activeVersion = item[VERSION]?.S?.slice(VERSION_PREFIX.length);
      else if (type.startsWith(VERSION_PREFIX)) entry.versions.push(type.slice(VERSION_PREFIX.length));
      keys.set(id, entry);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return [...keys.values()].sort((a, b) => (a.branchKeyId < b.branchKeyId ? -1 : a.branchKeyId > b.branchKeyId ? 1 : 0));
}
