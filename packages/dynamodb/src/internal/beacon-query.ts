import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { Item } from '../encrypted-table-types.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { beaconKeys, beaconOf, singleKeyId } from './beacon-compute.js';
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

function queryValues(beacon: ResolvedBeacon, value: BeaconInput): Record<string, AttributeValue> {
  const raw =
    typeof value === 'object' && value !== null
      ? beacon.sources.map((s) => (value as Record<string, unknown>)[s])
      : beacon.sources.length === 1
        ? [value]
        : [];
  const strings = raw.map(asString);
  if (raw.length !== beacon.sources.length || strings.some((r) => r === undefined)) {
    throw new PhisealError('INVALID_ARGUMENT', `Beacon "${beacon.name}" needs a string or number value for each of its source attributes.`);
  }
  const out: Record<string, AttributeValue> = {};
  beacon.sources.forEach((source, i) => {
    const v = raw[i];
    out[source] = typeof v === 'string' ? { S: v } : { N: strings[i]! };
  });
  return out;
}

function matches(beacon: ResolvedBeacon, item: Item, wanted: Record<string, AttributeValue>): boolean {
  return beacon.sources.every((source) => {
    const w = wanted[source]!;
    const s = asString(item[source]);
    return s !== undefined && s === (w.S ?? w.N);
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
  options: { index: string; consistentRead?: boolean; keyId?: string },
): Promise<Item[]> {
  const beacon = rt.t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  guardIndex(rt.t, options.index);
  const wanted = queryValues(beacon, value);
  const keyId = options.keyId ?? singleKeyId(rt.t);
  const beaconString = beaconOf(beacon, await beaconKeys(rt.t, keyId), wanted);
  if (beaconString === undefined) throw new PhisealError('INVALID_ARGUMENT', `Beacon "${beacon.name}" cannot be computed from that value.`);
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
    for (const item of page.Items ?? []) if (matches(beacon, item, wanted)) out.push(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}
