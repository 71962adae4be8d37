import type { Envelope, PlaintextPolicy } from '@phiseal/core';

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
 * A DB-ESDK standard beacon: `aws_dbe_b_<name>` holds the low `length` bits of
 * HMAC-SHA384(beacon key, value) as hex, so a GSI on it finds equal values. See
 * docs/dynamodb-format.md "Choosing a beacon length" before choosing `length`.
 *
 * @example
 * ```ts
 * const email: StandardBeacon = { name: 'email', length: 16 };
 * ```
 */
export type StandardBeacon = {
  /** Beacon name; also the source attribute unless `loc` is given. */
  readonly name: string;
  /** Bits kept, 1 to 63. Fewer bits: more false positives, less leakage. */
  readonly length: number;
  /** The source attribute (a top-level attribute name); default `name`. */
  readonly loc?: string;
};

/** A part of a compound beacon: the value of attribute `name` after `prefix`. */
export type BeaconPart = { readonly name: string; readonly prefix: string };

/**
 * A DB-ESDK compound beacon: parts joined by `split`; an encrypted part is its prefix and the
 * standard beacon of the same name, a signed part its prefix and the plain value.
 *
 * @example
 * ```ts
 * const visit: CompoundBeacon = { name: 'visit', split: '.', encrypted: [{ name: 'mrn', prefix: 'M-' }], signed: [{ name: 'clinic', prefix: 'C-' }] };
 * ```
 */
export type CompoundBeacon = {
  readonly name: string;
  /** One character that separates the parts (not in any prefix). */
  readonly split: string;
  /** Encrypted parts; each names a standard beacon. */
  readonly encrypted?: readonly BeaconPart[];
  /** Signed parts; each names a `sign` or `sign-in-context` attribute. */
  readonly signed?: readonly BeaconPart[];
};

/**
 * Where beacon keys come from: an AWS key store (`@phiseal/keystore`'s `createKeyStore`, which
 * reads the same branch key store table as the Java DB-ESDK) answering `getBeaconKey(branchKeyId)`
 * with the 32-byte beacon key.
 * @example
 * ```ts
 * const keyStore: BeaconKeyStore = createKeyStore({ tableName: 'branch-keys', ddbClient, kmsClient, kmsKeyArn });
 * ```
 */
export type BeaconKeyStore = {
  getBeaconKey(branchKeyId: string): Promise<{ readonly key: Uint8Array }>;
};

/**
 * Searchable encryption of one table (DB-ESDK search config, one beacon version).
 * @example
 * ```ts
 * const beacons: BeaconConfig = { standard: [{ name: 'email', length: 16 }], keyStore, keySource: { single: { keyId: branchKeyId } } };
 * ```
 */
export type BeaconConfig = {
  readonly standard?: readonly StandardBeacon[];
  readonly compound?: readonly CompoundBeacon[];
  readonly keyStore: BeaconKeyStore;
  /**
   * One beacon key for the table (`single`), or one per tenant (`multi`): then, as in the
   * DB-ESDK, an item's beacon key is that of the branch key wrapping its data key (one
   * `HierarchicalKeyProvider`), and queries pass the tenant's branch key id as `keyId`.
   */
  readonly keySource: { readonly single: { readonly keyId: string } } | { readonly multi: { readonly keyFieldName: string } };
};

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
