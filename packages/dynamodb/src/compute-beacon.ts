import { PhisealError } from '@phiseal/core';
import { beaconKeys, singleKeyId } from './internal/beacon-compute.js';
import { queryValue, type BeaconInput } from './internal/beacons/query-value.js';
import { resolveTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

/**
 * The stored value of a beacon for given source values (equal to the Java DB-ESDK's), for code
 * that queries a beacon index itself (with `withEncryption`):
 * `KeyConditionExpression: 'aws_dbe_b_<name> = :b'`. The index returns every item sharing the
 * truncated value, so compare the decrypted source attributes afterwards (encryptedTable's
 * `queryByBeacon` does both). With a multi-tenant key source pass the tenant's branch key id.
 * `values`: the source value of a standard beacon (the virtual field's string when it reads
 * one; an asSet beacon gives one element's beacon, for `contains()`), or a compound beacon's
 * plain text (`'C-north.L-Hopper'`, parsed by prefix as the DB-ESDK parses query values) or its
 * part values by part name. A signed beacon's value is its plain text.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (unknown beacon or missing source value),
 * `INVALID_CONFIGURATION` (no beacon key), key-store errors.
 * @example
 * ```ts
 * const b = await computeBeacon(patients, 'email', 'ada@example.org');
 * ```
 */
export async function computeBeacon(config: TableConfig, name: string, values: BeaconInput, options: { keyId?: string } = {}): Promise<string> {
  const t = resolveTable(config);
  const beacon = t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  const keys = await beaconKeys(t, options.keyId ?? singleKeyId(t));
  return queryValue(beacon, keys, values, t.virtualFields).value;
}
