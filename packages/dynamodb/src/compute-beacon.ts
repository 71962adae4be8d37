import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { beaconKeys, beaconOf, singleKeyId } from './internal/beacon-compute.js';
import { resolveTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

/**
 * The stored value of a beacon for given source values (equal to the Java DB-ESDK's), for code
 * that queries a beacon index itself (with `withEncryption`):
 * `KeyConditionExpression: 'aws_dbe_b_<name> = :b'`. The index returns every item sharing the
 * truncated value, so compare the decrypted source attributes afterwards (encryptedTable's
 * `queryByBeacon` does both). With a multi-tenant key source pass the tenant's branch key id.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (unknown beacon or missing source value),
 * `INVALID_CONFIGURATION` (no beacon key), key-store errors.
 * @example
 * ```ts
 * const b = await computeBeacon(patients, 'email', 'ada@example.org');
 * ```
 */
export async function computeBeacon(
  config: TableConfig,
  name: string,
  values: string | number | Readonly<Record<string, string | number>>,
  options: { keyId?: string } = {},
): Promise<string> {
  const t = resolveTable(config);
  const beacon = t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  const raw: unknown[] =
    typeof values === 'object' && values !== null ? beacon.sources.map((s) => values[s]) : beacon.sources.length === 1 ? [values] : [];
  if (raw.length !== beacon.sources.length || raw.some((v) => typeof v !== 'string' && (typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new PhisealError('INVALID_ARGUMENT', `Beacon "${name}" needs a value for each of its source attributes.`);
  }
  const item: Record<string, AttributeValue> = {};
  beacon.sources.forEach((s, i) => (item[s] = typeof raw[i] === 'number' ? { N: String(raw[i]) } : { S: raw[i] as string }));
  const keys = await beaconKeys(t, options.keyId ?? singleKeyId(t));
  const value = beaconOf(beacon, keys, item);
  if (value === undefined) throw new PhisealError('INVALID_ARGUMENT', `Beacon "${name}" cannot be computed from those values.`);
  return value;
}
