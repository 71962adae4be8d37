import type { TermLoc } from './terminal-location.js';
import type { Transform } from './virtual-transform.js';

// The validated form of a table's beacons (resolve-beacons.ts builds it once per TableConfig).

/** A virtual field: parts evaluated and concatenated (virtual.md). */
export type ResolvedVirtualField = {
  readonly name: string;
  readonly parts: readonly { readonly loc: TermLoc; readonly trans: readonly Transform[] }[];
};

export type VirtualFields = ReadonlyMap<string, ResolvedVirtualField>;

/** A standard beacon. */
export type ResolvedStandard = {
  readonly kind: 'standard';
  readonly name: string;
  /** aws_dbe_b_<name>. */
  readonly attributeName: string;
  readonly loc: TermLoc;
  readonly length: number;
  /** Whose HMAC key it uses: its own name, or the `shared` beacon's. */
  readonly keyName: string;
  readonly asSet: boolean;
  /** Only a part of compound beacons: never stored, never queried directly. */
  readonly partOnly: boolean;
  /** The top-level attributes it reads. */
  readonly sources: readonly string[];
};

/** A part of a compound beacon. */
export type ResolvedPart =
  | { readonly kind: 'signed'; readonly name: string; readonly prefix: string; readonly loc: TermLoc }
  | { readonly kind: 'encrypted'; readonly name: string; readonly prefix: string; readonly beacon: ResolvedStandard };

/** One constructor: parts in join order. */
export type ResolvedConstructor = readonly { readonly part: ResolvedPart; readonly required: boolean }[];

/** A compound beacon. */
export type ResolvedCompound = {
  readonly kind: 'compound';
  readonly name: string;
  /** aws_dbe_b_<name>, or <name> for a signed beacon (no encrypted part). */
  readonly attributeName: string;
  readonly split: string;
  /** Signed parts, then encrypted parts (CompoundBeacon.dfy order). */
  readonly parts: readonly ResolvedPart[];
  readonly constructors: readonly ResolvedConstructor[];
  /** No encrypted part: stored as `<name>`, signed, computed without keys before encryption. */
  readonly signedOnly: boolean;
  readonly sources: readonly string[];
};

/** A beacon ready to compute. */
export type ResolvedBeacon = ResolvedStandard | ResolvedCompound;
