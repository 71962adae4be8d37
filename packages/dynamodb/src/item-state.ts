import type { RecordState } from '@phiseal/core';
import { FOOTER_ATTRIBUTE, HEADER_ATTRIBUTE, RESERVED_PREFIX } from './internal/dbesdk/item-schema.js';

/**
 * What a stored DynamoDB item is, from its attribute names alone (no key, no KMS call, never
 * throws): `'plaintext'` only when it carries none of the DB-ESDK format attributes (any name
 * starting `aws_dbe_`: `aws_dbe_head`, `aws_dbe_foot`, the beacons `aws_dbe_b_*`),
 * `'encrypted'` when it holds both `aws_dbe_head` and `aws_dbe_foot` (it may still fail to
 * verify), `'tampered'` for anything in between (a beacon without a header, a header without
 * a footer): such an item is refused in every switch-over stage, never read as plaintext.
 *
 * Takes wire-form items (`{ name: { S: 'Ada' } }`, as in a Streams record or a Scan page of
 * the low-level client) and DocumentClient items (`{ name: 'Ada' }`) alike. An item stripped
 * of *all* format attributes cannot be told from plaintext: see docs/switch-over.md.
 *
 * @throws never (anything that is not an object is `'tampered'`).
 * @example
 * ```ts
 * import { itemState } from '@phiseal/dynamodb';
 * itemState({ patientId: { S: 'pt-1' }, name: { S: 'Ada' } }); // 'plaintext'
 * itemState({ patientId: { S: 'pt-1' }, aws_dbe_b_email: { S: '3f' } }); // 'tampered'
 * ```
 */
export function itemState(item: Readonly<Record<string, unknown>>): RecordState {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'tampered';
  let format = false;
  for (const name of Object.keys(item)) {
    if (name.startsWith(RESERVED_PREFIX)) {
      format = true;
      break;
    }
  }
  if (!format) return 'plaintext';
  return Object.hasOwn(item, HEADER_ATTRIBUTE) && Object.hasOwn(item, FOOTER_ATTRIBUTE) ? 'encrypted' : 'tampered';
}
