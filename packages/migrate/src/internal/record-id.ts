import { createHmac } from 'node:crypto';
import { PhisealError } from '@phiseal/core';
import type { RecordIdOptions } from '../types.js';

/**
 * The id a report shows for a record: its position in this run, and with an `idKey` a keyed
 * digest of its key (see RecordIdOptions for why never a plain hash).
 */
export function recordId(position: string, keyText: string, options: RecordIdOptions): string {
  const idKey = options.idKey;
  if (idKey === undefined) return position;
  if (!(idKey instanceof Uint8Array) || idKey.length < 16) throw new PhisealError('INVALID_CONFIGURATION', 'idKey must be at least 16 random bytes.');
  return `${position}/hmac:${createHmac('sha256', idKey).update(keyText, 'utf8').digest('hex').slice(0, 16)}`;
}
