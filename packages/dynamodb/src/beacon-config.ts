// Searchable-encryption configuration in the DB-ESDK's own model and field names
// (specification/searchable-encryption/: beacons.md, virtual.md, search-config.md; DB-ESDK
// 3.9.0 BeaconVersion). A Java service configured with the same values writes and finds the
// same beacons.

/**
 * A terminal location: a DynamoDB document path into an item, `name`, `name.key`,
 * `name[2].key` (virtual.md "Terminal Location"). The first segment is a top-level attribute.
 *
 * @example
 * ```ts
 * const loc: TerminalLocation = 'contact.emails[0]';
 * ```
 */
export type TerminalLocation = string;

/**
 * How one part of a virtual field is transformed (virtual.md "Virtual Transform"): exactly one
 * member. `upper`/`lower` change ASCII letters only; `insert` appends a literal; `prefix` and
 * `suffix` keep `length` characters (negative: drop); `substring`, `segment`, `segments` take
 * positions (negative: from the end) over characters or over pieces split on `split`.
 *
 * @example
 * ```ts
 * const t: VirtualTransform[] = [{ lower: {} }, { prefix: { length: 1 } }];
 * ```
 */
export type VirtualTransform =
  | { readonly upper: Readonly<Record<string, never>> }
  | { readonly lower: Readonly<Record<string, never>> }
  | { readonly insert: { readonly literal: string } }
  | { readonly prefix: { readonly length: number } }
  | { readonly suffix: { readonly length: number } }
  | { readonly substring: { readonly low: number; readonly high: number } }
  | { readonly segment: { readonly split: string; readonly index: number } }
  | { readonly segments: { readonly split: string; readonly low: number; readonly high: number } };

/**
 * One part of a virtual field: the string value at `loc` (S, N as written, BOOL as
 * `true`/`false`, NULL as `null`), then each transform in order.
 *
 * @example
 * ```ts
 * const part: VirtualPart = { loc: 'firstName', trans: [{ prefix: { length: 1 } }] };
 * ```
 */
export type VirtualPart = { readonly loc: TerminalLocation; readonly trans?: readonly VirtualTransform[] };

/**
 * A virtual field: the concatenation of its parts, never stored, usable wherever a beacon or
 * part takes a location (virtual.md). Missing when any part's location is missing.
 *
 * @example
 * ```ts
 * const nameTag: VirtualField = { name: 'nameTag', parts: [
 *   { loc: 'firstName', trans: [{ prefix: { length: 1 } }, { lower: {} }] },
 *   { loc: 'lastName', trans: [{ lower: {} }] },
 * ] };
 * ```
 */
export type VirtualField = { readonly name: string; readonly parts: readonly VirtualPart[] };

/**
 * A standard beacon's style (beacons.md "Beacon Style"), exactly one member: `partOnly` (used
 * only inside compound beacons, never stored), `shared` (hashed with the key and length of
 * beacon `other`, so equal values of two attributes have equal beacons), `asSet` (the source is
 * a set; stored as a string set of element beacons), `sharedSet` (both).
 *
 * @example
 * ```ts
 * const style: BeaconStyle = { shared: { other: 'email' } };
 * ```
 */
export type BeaconStyle =
  | { readonly partOnly: Readonly<Record<string, never>> }
  | { readonly shared: { readonly other: string } }
  | { readonly asSet: Readonly<Record<string, never>> }
  | { readonly sharedSet: { readonly other: string } };

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
  /** Beacon name; also the source location unless `loc` is given. */
  readonly name: string;
  /** Bits kept, 1 to 63. Fewer bits: more false positives, less leakage. */
  readonly length: number;
  /** The source: an encrypted attribute, a path into one, or a virtual field; default `name`. */
  readonly loc?: TerminalLocation;
  readonly style?: BeaconStyle;
};

/**
 * A signed part of a compound beacon: `prefix` followed by the plaintext at `loc` (default
 * `name`), which must lie in a `sign` or `sign-in-context` attribute.
 *
 * @example
 * ```ts
 * const clinic: SignedPart = { name: 'clinic', prefix: 'C-' };
 * ```
 */
export type SignedPart = { readonly name: string; readonly prefix: string; readonly loc?: TerminalLocation };

/**
 * An encrypted part of a compound beacon: `prefix` followed by the standard beacon `name`
 * (a configured standard beacon) of its value.
 *
 * @example
 * ```ts
 * const last: EncryptedPart = { name: 'last', prefix: 'L-' };
 * ```
 */
export type EncryptedPart = { readonly name: string; readonly prefix: string };

/**
 * One entry of a constructor: a part by name, required or optional.
 * @example
 * ```ts
 * const p: ConstructorPart = { name: 'clinic', required: true };
 * ```
 */
export type ConstructorPart = { readonly name: string; readonly required: boolean };

/**
 * How a compound beacon is built (beacons.md "Writing Compound Beacons"): the first
 * constructor whose required parts are all present wins; its parts are joined in this order,
 * absent optional parts left out.
 * @example
 * ```ts
 * const c: Constructor = { parts: [{ name: 'clinic', required: true }, { name: 'last', required: false }] };
 * ```
 */
export type Constructor = { readonly parts: readonly ConstructorPart[] };

/**
 * A DB-ESDK compound beacon: parts joined by `split`; an encrypted part is its prefix and the
 * standard beacon of its value, a signed part its prefix and the plain value. Without
 * `constructors`, all local signed parts then all local encrypted parts, all required. With no
 * encrypted part at all it is a signed beacon: stored as `<name>` (not `aws_dbe_b_<name>`),
 * signed, and usable as a table key.
 *
 * @example
 * ```ts
 * const visit: CompoundBeacon = { name: 'visit', split: '.', encrypted: [{ name: 'mrn', prefix: 'M-' }], signed: [{ name: 'clinic', prefix: 'C-' }] };
 * ```
 */
export type CompoundBeacon = {
  readonly name: string;
  /** One character that separates the parts; no plaintext value of a part may contain it. */
  readonly split: string;
  readonly encrypted?: readonly EncryptedPart[];
  readonly signed?: readonly SignedPart[];
  readonly constructors?: readonly Constructor[];
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
 * Searchable encryption of one table (DB-ESDK search config, one beacon version). Names follow
 * the DB-ESDK's BeaconVersion: `standard` = standardBeacons, `compound` = compoundBeacons, and
 * `virtualFields`, `signedParts`, `encryptedParts` (the global parts list constructors may use).
 * @example
 * ```ts
 * const beacons: BeaconConfig = { standard: [{ name: 'email', length: 16 }], keyStore, keySource: { single: { keyId: branchKeyId } } };
 * ```
 */
export type BeaconConfig = {
  readonly standard?: readonly StandardBeacon[];
  readonly compound?: readonly CompoundBeacon[];
  readonly virtualFields?: readonly VirtualField[];
  /** Global signed parts: usable by name in any compound beacon's constructors. */
  readonly signedParts?: readonly SignedPart[];
  /** Global encrypted parts: usable by name in any compound beacon's constructors. */
  readonly encryptedParts?: readonly EncryptedPart[];
  readonly keyStore: BeaconKeyStore;
  /**
   * One beacon key for the table (`single`), or one per tenant (`multi`): then, as in the
   * DB-ESDK, an item's beacon key is that of the branch key wrapping its data key (one
   * `HierarchicalKeyProvider`), and every query names the tenant: `queryByBeacon(..., { keyId })`,
   * or `<keyFieldName> = :tenant` in a middleware Query or Scan that compares a beacon.
   */
  readonly keySource:
    | { readonly single: { /** `undefined` (an unset environment variable) is refused when the table is created. */ readonly keyId: string | undefined } }
    | { readonly multi: { readonly keyFieldName: string } };
};
