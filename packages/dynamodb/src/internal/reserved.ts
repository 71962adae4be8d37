// Attribute names the format owns. Users' items may not use the prefix, so a header or a
// beacon can never collide with (or be forged as) a user attribute.

/** Every attribute name starting with this is reserved. */
export const RESERVED_PREFIX = 'phiseal_';
/** The header attribute (Binary). */
export const HEADER_ATTRIBUTE = 'phiseal_h';
/** Beacon attributes are `phiseal_b_<beacon name>` (String). */
export const BEACON_PREFIX = 'phiseal_b_';

/**
 * The stored attribute name of a beacon.
 * @throws never
 * @example
 * ```ts
 * beaconAttributeName('email'); // 'phiseal_b_email'
 * ```
 */
export function beaconAttributeName(beaconName: string): string {
  return BEACON_PREFIX + beaconName;
}
