import type { Envelope, PlaintextPolicy } from '@phiseal/core';
import type { BeaconConfig } from './beacon-config.js';

export type { BeaconConfig } from './beacon-config.js';

/**
 * What happens to an attribute, as in the AWS Database Encryption SDK (DB-ESDK):
 * `encrypt` = ENCRYPT_AND_SIGN, `sign` = SIGN_ONLY, `sign-in-context` =
 * SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT (signed, stored in the clear, and bound into the
 * data key's encryption context), `plain` = DO_NOTHING (neither; allowed only for attributes
 * named in `allowedUnsignedAttributes` or starting with `allowedUnsignedAttributePrefix`).
 *
 * @example
 * ```ts
 * const actions: Record<string, AttributeAction> = { clinicId: 'sign', updatedAt: 'plain' };
 * ```
 */
export type AttributeAction = 'encrypt' | 'sign' | 'sign-in-context' | 'plain';

/**
 * How one table is encrypted, in the DB-ESDK's model (items are read and written by the Java,
 * .NET, Rust and Go DB-ESDK with the same configuration). Read once, on first use.
 *
 * @example
 * ```ts
 * const patients: TableConfig = {
 *   tableName: 'patients',
 *   partitionKey: 'patientId',
 *   actions: { clinicId: 'sign', updatedAt: 'plain' },   // everything else: encrypt
 *   allowedUnsignedAttributes: ['updatedAt'],
 *   envelope,
 * };
 * ```
 */
export type TableConfig = {
  /** The DynamoDB table name (checked by the guard). */
  readonly tableName: string;
  /** The name bound into every item's canonical paths and encryption context; default `tableName`. Java services use the same value. */
  readonly logicalTableName?: string;
  /** Partition key attribute name; always `sign` (or `sign-in-context` when any attribute is). */
  readonly partitionKey: string;
  /** Sort key attribute name, if the table has one; same action as the partition key. */
  readonly sortKey?: string;
  /** Per-attribute actions. */
  readonly actions?: Readonly<Record<string, AttributeAction>>;
  /** Action of attributes not listed in `actions` (and not allowed unsigned); default `encrypt`. */
  readonly defaultAction?: AttributeAction;
  /** Attributes that may be `plain` (DB-ESDK allowedUnsignedAttributes). */
  readonly allowedUnsignedAttributes?: readonly string[];
  /** Attributes starting with this may be `plain` (DB-ESDK allowedUnsignedAttributePrefix). */
  readonly allowedUnsignedAttributePrefix?: string;
  /** `committing` (0x6700, default) or `committing-signed` (0x6701, adds an ECDSA P-384 signature). Both are read. */
  readonly algorithmSuite?: 'committing' | 'committing-signed';
  /** Searchable beacons. */
  readonly beacons?: BeaconConfig;
  /** Attribute used by `update()` for optimistic locking; default `version`; always signed. */
  readonly versionAttribute?: string;
  /**
   * The switch-over stage for a table that already holds plaintext items (the DB-ESDK's
   * plaintext overrides): `'write-plaintext'` writes plaintext (still guarded; no beacons, so
   * `queryByBeacon` does not find those items until they are migrated) and reads both,
   * `'write-encrypted'` (alias `'read-both'`) writes encrypted and reads both,
   * `'encrypted-only'` (default) refuses a plaintext item with `PLAINTEXT_REFUSED`. An item
   * with some but not all format attributes is refused in every stage. Order of deployment:
   * docs/switch-over.md.
   */
  readonly plaintextPolicy?: PlaintextPolicy;
  /** Key provider, cache, guard and audit sink. */
  readonly envelope: Envelope;
};
