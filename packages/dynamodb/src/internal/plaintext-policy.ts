import { admitPlaintext, PhisealError } from '@phiseal/core';
import { itemState } from '../item-state.js';
import type { AttributeMap } from './attribute-codec.js';
import { decryptionFailed } from './failures.js';
import { itemSize, MAX_ITEM_BYTES } from './item-size.js';
import { RESERVED_PREFIX } from './reserved.js';
import type { ResolvedTable } from './resolve-table.js';

// The switch-over stages (TableConfig.plaintextPolicy) on the two item paths. Reads: a
// stored item is classified by its format attributes first; only an item with none of them
// is plaintext, and only a reading stage admits it (audited every time). Writes under
// 'write-plaintext': the item is stored as given, after the same guard as an encrypted put
// (the caller ran guardItem) — so no header, no footer and no beacons.

/**
 * The item as stored when it holds no format attribute and the table's stage reads
 * plaintext; `undefined` when it is encrypted (the caller decrypts it).
 * @throws PhisealError PLAINTEXT_REFUSED (plaintext under 'encrypted-only'), DECRYPTION_FAILED (tampered).
 * @example
 * ```ts
 * const plain = admitStored(table, stored); if (plain) return plain;
 * ```
 */
export function admitStored(t: ResolvedTable, stored: AttributeMap): AttributeMap | undefined {
  const state = itemState(stored);
  if (state === 'encrypted') return undefined;
  // Some but not all format attributes: tampering in every stage, never plaintext.
  if (state === 'tampered') throw decryptionFailed();
  admitPlaintext(t.envelope, { stage: t.plaintextPolicy, kind: 'dynamodb.item', operation: 'dynamodb.plaintextRead', context: t.context });
  return stored;
}

/**
 * Whether writes of this table store plaintext ('write-plaintext').
 * @throws never
 * @example
 * ```ts
 * if (writesPlaintext(table)) return plaintextItem(table, item);
 * ```
 */
export function writesPlaintext(t: ResolvedTable): boolean {
  return t.plaintextPolicy === 'write-plaintext';
}

/**
 * The checks an encrypted put makes that still apply to a plaintext one: both key
 * attributes, no reserved (`aws_dbe_`) name — a plaintext item carrying one would read back
 * as tampered —, DynamoDB's item size. Returns the item unchanged.
 * @throws PhisealError INVALID_ARGUMENT, LIMIT_EXCEEDED.
 * @example
 * ```ts
 * const stored = plaintextItem(table, item);
 * ```
 */
export function plaintextItem(t: ResolvedTable, item: AttributeMap): AttributeMap {
  for (const name of t.sortKey === undefined ? [t.partitionKey] : [t.partitionKey, t.sortKey]) {
    const v = item[name];
    if (v?.S === undefined && v?.N === undefined && v?.B === undefined) {
      throw new PhisealError('INVALID_ARGUMENT', `The item lacks its key attribute "${name}" (String, Number or Binary).`, { details: { attribute: name } });
    }
  }
  for (const name of Object.keys(item)) {
    if (name.startsWith(RESERVED_PREFIX)) throw new PhisealError('INVALID_ARGUMENT', `Attribute names starting with "${RESERVED_PREFIX}" are reserved by the DB-ESDK format.`);
  }
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) throw new PhisealError('LIMIT_EXCEEDED', `The item is ${size} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit.`, { details: { size, limit: MAX_ITEM_BYTES } });
  return item;
}
