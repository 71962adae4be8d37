import { PhisealError } from '@phiseal/core';
import { beaconKeys, beaconValue } from './internal/beacon-compute.js';
import { normalizeNumber } from './internal/number-normalize.js';
import { resolveTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

/**
 * The stored value of a beacon for given source values, for code that queries a beacon
 * index itself (with `withEncryption`): `KeyConditionExpression: 'phiseal_b_<name> = :b'`.
 * The index returns every item sharing the truncated value, so compare the decrypted source
 * attributes afterwards (encryptedTable's `queryByBeacon` does both).
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (unknown beacon or missing source value),
 * `INVALID_CONFIGURATION` (bad beacon key), key-provider errors.
 * @example
 * ```ts
 * const b = await computeBeacon(patients, 'nameDob', { lastName: 'Lovelace', dob: '1815-12-10' });
 * ```
 */
export async function computeBeacon(
  config: TableConfig,
  name: string,
  values: string | number | Readonly<Record<string, string | number>>,
): Promise<string> {
  const t = resolveTable(config);
  const beacon = t.beaconByName.get(name);
  if (!beacon) throw new PhisealError('INVALID_ARGUMENT', 'No beacon of that name is configured for this table.');
  const raw: unknown[] =
    typeof values === 'object' && values !== null ? beacon.sources.map((s) => values[s]) : beacon.sources.length === 1 ? [values] : [];
  if (raw.length !== beacon.sources.length || raw.some((v) => typeof v !== 'string' && (typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new PhisealError('INVALID_ARGUMENT', `Beacon "${name}" needs a value for each of its source attributes.`);
  }
  const parts = raw.map((v, i) => beacon.normalize(typeof v === 'number' ? normalizeNumber(String(v)) : (v as string), beacon.sources[i] as string));
  const key = (await beaconKeys(t)).get(name) as Buffer;
  return beaconValue(key, beacon.bits, parts);
}
