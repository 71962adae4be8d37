import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { Item } from '../encrypted-table-types.js';
import type { BeaconConfig } from '../beacon-config.js';
import { beaconKeys, singleKeyId } from './beacon-compute.js';
import { queryValue, type BeaconInput } from './beacons/query-value.js';
import { toItem } from './beacons/native-item.js';
import { guardIndex } from './request-guard.js';
import type { TableRuntime } from './table-runtime.js';

// A beacon is a truncated HMAC, so several plaintexts share each beacon value (by design:
// that is what limits leakage). The index returns all of them; after decryption the source
// attributes are compared with the query and the false positives dropped.

/**
 * Queries `index` for the beacon of `value` and returns the decrypted items that really match.
 * @throws PhisealError INVALID_ARGUMENT (unknown beacon, missing part), PHI_DETECTED (index name), and query errors.
 * @example
 * ```ts
 * await queryByBeacon(runtime, 'email', 'ada@example.org', { index: 'by-email' });
 * ```
 */
export async function queryByBeacon(
  rt: TableRuntime,
  name: string,
  value: BeaconInput,
  options: { index: string; consistentRead?: boolean; keyId?: string },
): Promise<Item[]> {
  const beacon = rt.t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  guardIndex(rt.t, options.index);
  if (beacon.kind === 'standard' && beacon.asSet) {
    throw new PhisealError('INVALID_ARGUMENT', `Beacon "${name}" is a set: an index cannot be keyed on it; filter with contains() and computeBeacon.`);
  }
  const keyId = options.keyId ?? singleKeyId(rt.t);
  const q = queryValue(beacon, await beaconKeys(rt.t, keyId), value, rt.t.virtualFields);
  // Multi-tenant (search-config.md "Get beacon key for query"): the query names its tenant, and
  // the tenant's key field (a signed attribute) restricts the answer to that tenant's items.
  const source = (rt.t.config.beacons as BeaconConfig).keySource;
  const keyField = 'multi' in source ? source.multi.keyFieldName : undefined;
  const out: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await rt.doc.send(
      rt.prepare(
        new QueryCommand({
          TableName: rt.t.tableName,
          IndexName: options.index,
          KeyConditionExpression: '#b = :b',
          ...(keyField === undefined
            ? { ExpressionAttributeNames: { '#b': beacon.attributeName }, ExpressionAttributeValues: { ':b': q.value } }
            : {
                FilterExpression: '#k = :k',
                ExpressionAttributeNames: { '#b': beacon.attributeName, '#k': keyField },
                ExpressionAttributeValues: { ':b': q.value, ':k': keyId },
              }),
          ...(options.consistentRead ? { ConsistentRead: true } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) if (q.matches(toItem(item))) out.push(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}
