import { createHmac, hkdfSync } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { serializeAttribute } from '../dbesdk/attribute-serialization.js';
import type { ResolvedCompound, ResolvedConstructor, ResolvedPart, ResolvedStandard, VirtualFields } from './beacon-model.js';
import { valueAt, type TermLoc } from './terminal-location.js';
import { applyTransform } from './virtual-transform.js';

// Beacon values as the DB-ESDK 3.9.0 computes them (beacons.md "Beacon Operations"; Beacon.dfy,
// CompoundBeacon.dfy, Virtual.dfy, TermLoc.dfy):
//   hmacKey(name) = HKDF-SHA512(beacon key, no salt, "AWS_DBE_SCAN_BEACON" + name, 64)
//   basicHash     = the low `length` bits of the first 8 bytes of HMAC-SHA384, as hex
//   standard      = basicHash of the value's attribute serialization (any type; numbers
//                   normalized), or of the UTF-8 virtual field string; asSet: a string set of
//                   the element hashes, duplicates dropped
//   compound      = the first constructor whose required parts are present: parts joined by
//                   split, a signed part as prefix + string, an encrypted part as prefix +
//                   basicHash(UTF-8 of the string) under its beacon's key. A part's string is
//                   S as is, N AS WRITTEN (not normalized), BOOL true/false, NULL null.

type Item = Readonly<Record<string, AttributeValue | undefined>>;
/** HMAC keys by beacon name (a shared beacon uses its `other`'s). */
export type BeaconKeys = ReadonlyMap<string, Buffer>;

/**
 * The HMAC key of one beacon.
 * @throws never
 * @example
 * ```ts
 * const key = beaconHmacKey(beaconKey, 'email');
 * ```
 */
export function beaconHmacKey(beaconKey: Uint8Array, name: string): Buffer {
  return Buffer.from(hkdfSync('sha512', beaconKey, Buffer.alloc(0), Buffer.from(`AWS_DBE_SCAN_BEACON${name}`, 'utf8'), 64));
}

/**
 * basicHash: a standard beacon of `bytes`.
 * @throws never
 * @example
 * ```ts
 * standardBeacon(key, 16, Buffer.from('ada@example.org')); // e.g. '3f9a'
 * ```
 */
export function standardBeacon(hmacKey: Uint8Array, length: number, bytes: Uint8Array): string {
  const first8 = createHmac('sha384', hmacKey).update(bytes).digest().readBigUInt64BE(0);
  const low = first8 & ((1n << BigInt(length)) - 1n);
  return low.toString(16).padStart(Math.ceil(length / 4), '0');
}

const refused = (beacon: string, why: string): PhisealError =>
  new PhisealError('INVALID_ARGUMENT', `Beacon "${beacon}" cannot be computed: ${why}.`, { details: { beacon } });

/** TermLoc.dfy AttrValueToString. */
function asString(v: AttributeValue, beacon: string): string {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return v.N;
  if (v.BOOL !== undefined) return v.BOOL ? 'true' : 'false';
  if (v.NULL !== undefined) return 'null';
  throw refused(beacon, 'a source value is a binary, set, list or map where a string is needed');
}

/**
 * Virtual.dfy VirtToString: the string at a location or virtual field, undefined when absent.
 * @throws PhisealError INVALID_ARGUMENT when the value has no string form.
 * @example
 * ```ts
 * stringAt(['email'], item, vfs, 'email');
 * ```
 */
export function stringAt(loc: TermLoc, item: Item, vfs: VirtualFields, beacon: string): string | undefined {
  const vf = loc.length === 1 ? vfs.get(loc[0]) : undefined;
  if (!vf) {
    const v = valueAt(loc, item);
    return v === undefined ? undefined : asString(v, beacon);
  }
  let out = '';
  for (const part of vf.parts) {
    const v = valueAt(part.loc, item);
    if (v === undefined) return undefined;
    out += part.trans.reduce((s, t) => applyTransform(t, s), asString(v, beacon));
  }
  return out;
}

function hashOf(b: ResolvedStandard, keys: BeaconKeys, bytes: Uint8Array): string {
  return standardBeacon(keys.get(b.keyName)!, b.length, bytes);
}

/**
 * The stored value of a standard beacon, undefined when its source is absent.
 * @throws PhisealError INVALID_ARGUMENT (asSet beacon on a non-set value, unserializable value).
 * @example
 * ```ts
 * standardValue(beacon, keys, item, vfs); // { S: '3f9a' }
 * ```
 */
export function standardValue(b: ResolvedStandard, keys: BeaconKeys, item: Item, vfs: VirtualFields): AttributeValue | undefined {
  if (b.asSet) {
    const v = valueAt(b.loc, item);
    if (v === undefined) return undefined;
    const elements = v.SS?.map((s): AttributeValue => ({ S: s })) ?? v.NS?.map((n): AttributeValue => ({ N: n })) ?? v.BS?.map((x): AttributeValue => ({ B: x }));
    if (!elements) throw refused(b.name, 'an asSet beacon reads a value that is not a set');
    return { SS: [...new Set(elements.map((e) => hashOf(b, keys, serializeAttribute(e).value)))] };
  }
  const vf = b.loc.length === 1 && vfs.has(b.loc[0]);
  if (vf) {
    const s = stringAt(b.loc, item, vfs, b.name);
    return s === undefined ? undefined : { S: hashOf(b, keys, Buffer.from(s, 'utf8')) };
  }
  const v = valueAt(b.loc, item);
  return v === undefined ? undefined : { S: hashOf(b, keys, serializeAttribute(v).value) };
}

/**
 * CompoundBeacon.dfy PartValueCalc: prefix + plain string (signed) or prefix + hash (encrypted).
 * @throws PhisealError INVALID_ARGUMENT when the string contains the split character.
 * @example
 * ```ts
 * partValue(beacon, part, 'north', keys); // 'C-north'
 * ```
 */
export function partValue(c: ResolvedCompound, part: ResolvedPart, text: string, keys: BeaconKeys | undefined): string {
  if (text.includes(c.split)) throw refused(c.name, `the value of part "${part.name}" contains the split character`);
  if (part.kind === 'signed' || keys === undefined) return part.prefix + text;
  return part.prefix + hashOf(part.beacon, keys, Buffer.from(text, 'utf8'));
}

/** One part of a constructed compound value: the part, its plain string, whether it came from a number. */
export type ConstructedPart = { readonly part: ResolvedPart; readonly text: string; readonly numeric: boolean };

function tryConstructor(c: ResolvedCompound, con: ResolvedConstructor, item: Item, vfs: VirtualFields): ConstructedPart[] | undefined {
  const out: ConstructedPart[] = [];
  for (const { part, required } of con) {
    const loc = part.kind === 'signed' ? part.loc : part.beacon.loc;
    const text = stringAt(loc, item, vfs, c.name);
    if (text !== undefined) out.push({ part, text, numeric: !vfs.has(String(loc[0])) && valueAt(loc, item)?.N !== undefined });
    else if (required) return undefined;
  }
  return out;
}

/**
 * The parts of the first constructor that succeeds on `item` (CompoundBeacon.dfy TryConstructors), or undefined.
 * @throws PhisealError INVALID_ARGUMENT (a source value has no string form).
 * @example
 * ```ts
 * constructParts(beacon, item, vfs); // [{ part: clinic, text: 'north', numeric: false }, ...]
 * ```
 */
export function constructParts(c: ResolvedCompound, item: Item, vfs: VirtualFields): ConstructedPart[] | undefined {
  for (const con of c.constructors) {
    const parts = tryConstructor(c, con, item, vfs);
    if (parts !== undefined) return parts;
  }
  return undefined;
}

/**
 * The stored value of a compound beacon (keys undefined: the plain "virtual database field",
 * as for signed beacons), undefined when no constructor succeeds.
 * @throws PhisealError INVALID_ARGUMENT (a part value contains the split character, has no string form).
 * @example
 * ```ts
 * compoundValue(beacon, keys, item, vfs); // 'C-north.L-3f9'
 * ```
 */
export function compoundValue(c: ResolvedCompound, keys: BeaconKeys | undefined, item: Item, vfs: VirtualFields): string | undefined {
  return constructParts(c, item, vfs)?.map((p) => partValue(c, p.part, p.text, keys)).join(c.split);
}
