import type { Envelope } from '@phiseal/core';

/**
 * What happens to an attribute: `encrypt` (encrypted and signed), `sign` (stored in the
 * clear, covered by the item's tag) or `plain` (neither; may be changed by anyone with
 * write access without detection).
 *
 * @example
 * ```ts
 * const actions: Record<string, AttributeAction> = { clinicId: 'sign', updatedAt: 'plain' };
 * ```
 */
export type AttributeAction = 'encrypt' | 'sign' | 'plain';

/**
 * A searchable beacon: a truncated HMAC of the normalized value of one attribute (standard
 * beacon) or of several attributes together (compound beacon), stored in `phiseal_b_<name>`
 * so that a GSI can index it. See the README's leakage table before choosing `bits`.
 *
 * @example
 * ```ts
 * const beacons = {
 *   email: { attributes: ['email'], bits: 16 },
 *   nameDob: { attributes: ['lastName', 'dateOfBirth'], bits: 20 },
 * };
 * ```
 */
export type BeaconConfig = {
  /** Source attributes (String or Number values); one for a standard beacon, several for a compound one. */
  readonly attributes: readonly string[];
  /** Bits of the HMAC kept, 1 to 63. Fewer bits: more false positives, less leakage. */
  readonly bits: number;
  /**
   * Normalizes a source value before hashing (and before the false-positive check after
   * decryption). Default: Unicode NFC, trimmed, inner whitespace collapsed, lower case.
   */
  readonly normalize?: (value: string, attribute: string) => string;
};

/**
 * How one table is encrypted. Read once, on first use; later changes to the object are
 * not seen.
 *
 * @example
 * ```ts
 * const patients: TableConfig = {
 *   tableName: 'patients',
 *   partitionKey: 'patientId',
 *   actions: { clinicId: 'sign', updatedAt: 'plain' },   // everything else: encrypt
 *   beacons: { email: { attributes: ['email'], bits: 16 } },
 *   beaconKey: process.env.PATIENTS_BEACON_KEY,           // from createBeaconKey(envelope)
 *   envelope,
 * };
 * ```
 */
export type TableConfig = {
  /** The DynamoDB table name (checked by the guard; bound to every item's tag and to the KMS context). */
  readonly tableName: string;
  /** Partition key attribute name; always `sign`. */
  readonly partitionKey: string;
  /** Sort key attribute name, if the table has one; always `sign`. */
  readonly sortKey?: string;
  /** Per-attribute actions; key attributes must be `sign` (or absent). */
  readonly actions?: Readonly<Record<string, AttributeAction>>;
  /** Action of attributes not listed in `actions`; default `encrypt`. */
  readonly defaultAction?: AttributeAction;
  /** Searchable beacons by name (letters, digits, `_`, `-`, `.`). */
  readonly beacons?: Readonly<Record<string, BeaconConfig>>;
  /** The beacon key from `createBeaconKey(envelope)`; required when `beacons` is set. */
  readonly beaconKey?: string;
  /** Attribute used by `update()` for optimistic locking; default `version`; always `sign`. */
  readonly versionAttribute?: string;
  /** Key provider, cache, guard and audit sink. */
  readonly envelope: Envelope;
};
