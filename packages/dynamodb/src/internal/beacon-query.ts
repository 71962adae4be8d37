import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { Item } from '../encrypted-table-types.js';
import { beaconKeys, beaconValue } from './beacon-compute.js';
import { normalizeNumber } from './number-normalize.js';
import { guardIndex } from './request-guard.js';
import type { ResolvedBeacon } from './resolve-table.js';
import type { TableRuntime } from './table-runtime.js';

// A beacon is a truncated HMAC, so several plaintexts share each beacon value (by design:
// that is what limits leakage). The index returns all of them; after decryption the source
// attributes are compared with the query and the false positives dropped.

type BeaconInput = string | number | Readonly<Record<string, string | number>>;

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return normalizeNumber(String(value));
  // NumberValue (wrapNumbers) and similar wrappers
  if (typeof value === 'object' && value !== null && 'value' in value && typeof value.value === 'string') {
    return normalizeNumber((value as { value: string }).value);
  }
  return undefined;
}

function queryParts(beacon: ResolvedBeacon, value: BeaconInput): string[] {
  const raw =
    typeof value === 'object' && value !== null
      ? beacon.sources.map((s) => value[s])
      : beacon.sources.length === 1
        ? [value]
        : [];
  const strings = raw.map(asString);
  if (raw.length !== beacon.sources.length || strings.some((r) => r === undefined)) {
    throw new PhisealError('INVALID_ARGUMENT', `Beacon "${beacon.name}" needs a string or number value for each of its source attributes.`);
  }
  return strings.map((r, i) => beacon.normalize(r as string, beacon.sources[i] as string));
}

function matches(beacon: ResolvedBeacon, item: Item, parts: readonly string[]): boolean {
  return beacon.sources.every((source, i) => {
    const s = asString(item[source]);
    return s !== undefined && beacon.normalize(s, source) === parts[i];
  });
}

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
  options: { index: string; consistentRead?: boolean },
): Promise<Item[]> {
  const beacon = rt.t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  guardIndex(rt.t, options.index);
  const parts = queryParts(beacon, value);
  const key = (await beaconKeys(rt.t)).get(beacon.name) as Buffer;
  const beaconString = beaconValue(key, beacon.bits, parts);
  const out: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await rt.doc.send(
      rt.prepare(
        new QueryCommand({
          TableName: rt.t.tableName,
          IndexName: options.index,
          KeyConditionExpression: '#b = :b',
          ExpressionAttributeNames: { '#b': beacon.attributeName },
          ExpressionAttributeValues: { ':b': beaconString },
          ...(options.consistentRead ? { ConsistentRead: true } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) if (matches(beacon, item, parts)) out.push(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}
