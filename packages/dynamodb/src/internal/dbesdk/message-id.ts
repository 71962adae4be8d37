import { randomFillSync } from 'node:crypto';
import { MESSAGE_ID_BYTES } from './suites.js';

// A record's message id (header.md "Message ID"): 32 random bytes, public (stored in the
// header), salting the HKDF of its commit and field keys. Drawing them from the CSPRNG 64 at
// a time saves a native call per item; every id is handed out once.

const IDS_PER_DRAW = 64;
const pool = Buffer.alloc(MESSAGE_ID_BYTES * IDS_PER_DRAW);
let next = pool.length;

/**
 * A fresh random message id.
 * @throws never
 * @example
 * ```ts
 * const messageId = newMessageId();
 * ```
 */
export function newMessageId(): Buffer {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const id = Buffer.from(pool.subarray(next, next + MESSAGE_ID_BYTES));
  next += MESSAGE_ID_BYTES;
  return id;
}
