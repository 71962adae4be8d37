import { randomBytes } from 'node:crypto';
import { encodeWrappedKeys, type EncryptionContext, type Envelope } from '@phiseal/core';

// A beacon key must be the same in every process that writes or queries the table, so it
// cannot come from the rotating data-key cache. It is a data key generated once through the
// envelope (so KMS protects it) under its own context; its wrapped form is stored in the
// application's configuration as a string and unwrapped on first use.

/** Prefix of a serialized beacon key. */
export const BEACON_KEY_PREFIX = 'pbk1';

/**
 * The KMS encryption context of a beacon key with id `id` (hex, not secret, not PHI).
 * @throws never
 * @example
 * ```ts
 * beaconKeyContext('0a1b2c...'); // { 'phiseal:purpose': 'dynamodb-beacon-key', ... }
 * ```
 */
export function beaconKeyContext(id: string): EncryptionContext {
  return Object.freeze({ 'phiseal:purpose': 'dynamodb-beacon-key', 'phiseal:beacon-key': id });
}

/**
 * Creates a new beacon key protected by the envelope's key provider (KMS in production) and
 * returns its wrapped form, `pbk1.<id>.<base64url wrapped keys>`. Store it with your
 * configuration (it is not secret without KMS access) and pass it as `beaconKey` in every
 * `TableConfig` that uses beacons; changing it makes existing beacons unsearchable.
 *
 * @throws {@link PhisealError} `KMS_UNAVAILABLE` when the key provider cannot generate a key.
 * @example
 * ```ts
 * const beaconKey = await createBeaconKey(envelope);   // once, at set-up
 * // later: encryptedTable({ ..., beacons, beaconKey, envelope, client })
 * ```
 */
export async function createBeaconKey(envelope: Envelope): Promise<string> {
  const id = randomBytes(12).toString('hex');
  const { key, wrappedKeys } = await envelope.dataKey(beaconKeyContext(id), { messages: 1 });
  key.fill(0);
  return `${BEACON_KEY_PREFIX}.${id}.${Buffer.from(encodeWrappedKeys(wrappedKeys)).toString('base64url')}`;
}
