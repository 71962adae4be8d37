import type { EncryptionContext } from '@phiseal/core';
import type { Terminal } from './attribute-serialization.js';
import { utf8Length, writeShortAscii } from '../utf8.js';
import { TYPE_BOOL, TYPE_N, TYPE_NULL, TYPE_S } from './type-ids.js';

// The item's encryption context (dynamodb-encryption-client/encrypt-item.md "DynamoDB Item
// Base Context"; structured-encryption/encrypt-path-structure.md "Create New Encryption
// Context"). Every key here is a *required* context key: it is reproduced from the item on
// decryption and never stored in the header, so an item copied to another key, table or
// context attribute value no longer unwraps its data key.

export const TABLE_NAME_KEY = 'aws-crypto-table-name';
export const PARTITION_NAME_KEY = 'aws-crypto-partition-name';
export const SORT_NAME_KEY = 'aws-crypto-sort-name';
export const ATTR_PREFIX = 'aws-crypto-attr.';
export const LEGEND_KEY = 'aws-crypto-legend';
/** Added by the ECDSA suite (default CMM); the only key stored in the header. */
export const PUBLIC_KEY_KEY = 'aws-crypto-public-key';

/** What the context is built from. */
export type ContextInput = {
  readonly logicalTableName: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  /** Header version: 1 = no sign-in-context attributes, 2 = some. */
  readonly version: 1 | 2;
  /** Serialized key attributes (version 1) or sign-in-context attributes (version 2), by name. */
  readonly terminals: ReadonlyMap<string, Terminal>;
};

/** Base64 of type id + value (encrypt-item.md "Base Context Value Version 1"). */
function encodeTerminal(t: Terminal): string {
  const out = Buffer.allocUnsafe(2 + t.value.length); // every byte written: a pool slice, not an ArrayBuffer of its own
  out.writeUInt16BE(t.typeId, 0);
  t.value.copy(out, 2);
  return out.toString('base64');
}

// "Base Context Value Version 2" and the legend letters (encrypt-path-structure.md).
function v2Value(t: Terminal): { value: string; legend: string } {
  if (t.typeId === TYPE_S) return { value: t.value.toString('utf8'), legend: 'S' };
  if (t.typeId === TYPE_N) return { value: t.value.toString('utf8'), legend: 'N' };
  if (t.typeId === TYPE_NULL) return { value: 'null', legend: 'L' };
  if (t.typeId === TYPE_BOOL) return { value: t.value[0] === 0 ? 'false' : 'true', legend: 'L' };
  return { value: encodeTerminal(t), legend: 'B' };
}

// Every key starts with "aws-crypto-", so plain assignment cannot hit `__proto__`.
function define(ec: Record<string, string>, key: string, value: string): void {
  ec[key] = value;
}

// "aws-crypto-attr.<name>" per attribute name, kept: a key built anew for every item is a
// new string the engine must flatten and look up before it can be a property name. Bounded
// (names come from items).
const ATTR_KEYS_MAX = 1024;
const attrKeys = new Map<string, string>();

function attrKey(name: string): string {
  let key = attrKeys.get(name);
  if (key === undefined) {
    key = ATTR_PREFIX + name;
    if (attrKeys.size < ATTR_KEYS_MAX) attrKeys.set(name, key);
  }
  return key;
}

/**
 * The required encryption context of one item.
 * @throws Error when a key or context attribute is missing from `terminals` (callers check first).
 * @example
 * ```ts
 * itemContext({ logicalTableName: 'patients', partitionKey: 'id', sortKey: undefined, version: 1, terminals });
 * ```
 */
export function itemContext(input: ContextInput): EncryptionContext {
  const ec: Record<string, string> = {};
  define(ec, TABLE_NAME_KEY, input.logicalTableName);
  define(ec, PARTITION_NAME_KEY, input.partitionKey);
  if (input.sortKey !== undefined) define(ec, SORT_NAME_KEY, input.sortKey);
  if (input.version === 1) {
    for (const name of input.sortKey === undefined ? [input.partitionKey] : [input.partitionKey, input.sortKey]) {
      const t = input.terminals.get(name);
      if (!t) throw new Error('missing key attribute');
      define(ec, attrKey(name), encodeTerminal(t));
    }
    return ec;
  }
  // Version 2: every sign-in-context attribute (keys included), sorted by UTF-8 key bytes,
  // plus a legend of their original types.
  const entries = [...input.terminals.entries()]
    .map(([name, t]) => ({ key: attrKey(name), t }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8')));
  let legend = '';
  for (const { key, t } of entries) {
    const { value, legend: letter } = v2Value(t);
    define(ec, key, value);
    legend += letter;
  }
  define(ec, LEGEND_KEY, legend);
  return ec;
}

/**
 * Whether the header leaves `key` out (it is reproduced from the item on decryption).
 * @throws never
 * @example
 * ```ts
 * isRequiredKey('aws-crypto-table-name'); // true
 * ```
 */
export function isRequiredKey(key: string): boolean {
  return key !== PUBLIC_KEY_KEY;
}

// Context keys are a table's few fixed names ("aws-crypto-table-name", "aws-crypto-attr.<key>"):
// their UTF-8 bytes are kept (read-only) with the same bytes as a latin1 string, which orders
// like the bytes (one UTF-16 unit per byte) and compares without a native call. Bounded so that
// hostile headers cannot grow it.
type ContextKey = { readonly bytes: Buffer; readonly order: string };
const KEY_BYTES_MAX = 1024;
const keysOf = new Map<string, ContextKey>();

function contextKey(key: string): ContextKey {
  let k = keysOf.get(key);
  if (!k) {
    const bytes = Buffer.from(key, 'utf8');
    k = { bytes, order: bytes.toString('latin1') };
    if (keysOf.size < KEY_BYTES_MAX) keysOf.set(key, k);
  }
  return k;
}

type Pair = { readonly key: ContextKey; readonly value: string; readonly valueBytes: number };
const byKeyBytes = (a: Pair, b: Pair): number => (a.key.order < b.key.order ? -1 : a.key.order > b.key.order ? 1 : 0);

/**
 * The header's serialization of a context (header.md "Encryption Context"): u16 count, then
 * u16-length-prefixed UTF-8 key and value per pair, sorted by key bytes.
 * @throws RangeError when a key or value exceeds 65535 bytes or there are more than 65535 pairs.
 * @example
 * ```ts
 * serializeContext({}); // 00 00
 * ```
 */
export function serializeContext(ec: EncryptionContext): Buffer {
  const keys = Object.keys(ec);
  if (keys.length > 0xffff) throw new RangeError('context');
  const pairs: Pair[] = [];
  let length = 2;
  for (const k of keys) {
    const p = { key: contextKey(k), value: ec[k]!, valueBytes: utf8Length(ec[k]!) };
    if (p.key.bytes.length > 0xffff || p.valueBytes > 0xffff) throw new RangeError('context');
    length += 4 + p.key.bytes.length + p.valueBytes;
    pairs.push(p);
  }
  pairs.sort(byKeyBytes);
  // Written in place: one allocation instead of four per pair (every byte is written: a pool slice).
  const out = Buffer.allocUnsafe(length);
  let at = out.writeUInt16BE(pairs.length, 0);
  for (const p of pairs) {
    at = out.writeUInt16BE(p.key.bytes.length, at);
    out.set(p.key.bytes, at);
    at += p.key.bytes.length;
    at = out.writeUInt16BE(p.valueBytes, at);
    const ascii = writeShortAscii(out, p.value, at);
    at += ascii >= 0 ? ascii : out.write(p.value, at, 'utf8');
  }
  return out;
}

/**
 * The MPL's AAD form of a context (CanonicalEncryptionContext.dfy): empty bytes for an empty
 * context, else {@link serializeContext}. Used to wrap the plaintext data key.
 * @throws RangeError as serializeContext.
 * @example
 * ```ts
 * contextAad({}); // empty
 * ```
 */
export function contextAad(ec: EncryptionContext): Buffer {
  return aadOf(serializeContext(ec));
}

/**
 * {@link contextAad} of an already serialized context (so a record serializes its context
 * once, for the data key's AAD and the footer's canonical record).
 * @throws never
 * @example
 * ```ts
 * const aad = aadOf(serializeContext(ec));
 * ```
 */
export function aadOf(serialized: Buffer): Buffer {
  // Two bytes is the zero pair count alone: every pair adds at least four.
  return serialized.length === 2 ? Buffer.alloc(0) : serialized;
}
