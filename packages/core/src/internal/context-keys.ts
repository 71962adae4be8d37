// The sorted keys of a context and their encoded fields, remembered for the last key set. A
// context is serialized on every data-key cache miss (its cache key, a raw AES wrapping's AAD),
// and the contexts of one adapter repeat the same keys with new values (a DynamoDB table's
// `aws-crypto-*` names, one per distinct item): sorting the keys and encoding each of them
// again was a third of the serialization. The memo compares the key list exactly (same keys,
// same order), so a remembered plan is always the plan of the keys given.
import { toBuffer, strictUtf8 } from './bytes.js';
import { invalidArgument } from './failures.js';

const NON_ASCII = /[\u0080-\uFFFF]/;
// UTF-8 byte order (the ESDK's key order) is UTF-16 code unit order unless a key holds a unit
// from U+D800 (a surrogate, or U+E000 and up).
const HIGH_UNIT = /[\uD800-\uFFFF]/;

export type KeyPlan = {
  /** The keys as `Object.keys` gave them (the memo's identity). */
  readonly keys: readonly string[];
  /** The keys sorted by UTF-16 code unit order. */
  readonly sorted: readonly string[];
  /** Per sorted key: its block16 field read as latin1 (u16 length, then its UTF-8). */
  readonly fields: readonly string[];
  /** The u16 pair count, as latin1. */
  readonly count: string;
  /** Whether UTF-16 and UTF-8 orders may differ for these keys (see HIGH_UNIT). */
  readonly high: boolean;
};

/**
 * One string as a block16 field writes its UTF-8, read back as latin1 (one char per byte).
 * ASCII, the common case, is its own UTF-8: no buffer is made for it.
 * @throws {@link PhisealError} `INVALID_ARGUMENT` over 65535 bytes or for a lone surrogate.
 */
export function block16Latin1(value: string, what: string): string {
  const bytes = !NON_ASCII.test(value) ? value : toBuffer(strictUtf8(value, what)).toString('latin1');
  if (bytes.length > 0xffff) throw invalidArgument('a context key or value is longer than 65535 bytes');
  return String.fromCharCode(bytes.length >>> 8, bytes.length & 0xff) + bytes;
}

let last: KeyPlan | undefined;

function sameKeys(plan: KeyPlan, keys: readonly string[]): boolean {
  if (plan.keys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (plan.keys[i] !== keys[i]) return false;
  return true;
}

/**
 * The plan of `keys` (an `Object.keys` result, not changed afterwards).
 * @throws {@link PhisealError} `INVALID_ARGUMENT` for more than 65535 keys, or a key over 65535
 * bytes or with a lone surrogate.
 */
export function keyPlan(keys: readonly string[]): KeyPlan {
  if (last && sameKeys(last, keys)) return last;
  if (keys.length > 0xffff) throw invalidArgument('context has too many entries');
  const sorted = [...keys].sort();
  const plan: KeyPlan = {
    keys,
    sorted,
    fields: sorted.map((key) => block16Latin1(key, 'a context key')),
    count: String.fromCharCode(keys.length >>> 8, keys.length & 0xff),
    high: keys.some((key) => HIGH_UNIT.test(key)),
  };
  last = plan;
  return plan;
}
