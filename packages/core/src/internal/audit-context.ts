// The context fields of an audit event (sorted keys and digest), remembered for the last context.
// Adapters report each request under their table's or queue's fixed context (the DynamoDB adapter
// builds one event per item, even without an audit sink), so SHA-256 over the canonical context
// ran once per item for the same few bytes. The memo compares the pairs exactly (same keys in the
// same order, same values), so a remembered digest is always the digest of the context given.
import type { EncryptionContext } from '../key-provider.js';
import { contextDigest } from './context.js';

type Memo = { keys: string[]; values: unknown[]; sorted: readonly string[]; digest: string };
let last: Memo | undefined;

function samePairs(memo: Memo, keys: string[], context: EncryptionContext): boolean {
  if (keys.length !== memo.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== memo.keys[i] || context[keys[i]!] !== memo.values[i]) return false;
  }
  return true;
}

/** `contextKeys` (sorted, a fresh array per event) and `contextDigest` of an audit event. */
export function auditContext(context: EncryptionContext): { contextKeys: string[]; contextDigest: string } {
  const keys = Object.keys(context);
  let memo = last;
  if (!memo || !samePairs(memo, keys, context)) {
    // Values read once: the digest is of exactly the pairs compared next time.
    const values = keys.map((k) => context[k]);
    const pairs: EncryptionContext = {};
    keys.forEach((k, i) => Object.defineProperty(pairs, k, { value: values[i], enumerable: true }));
    memo = { keys, values, sorted: [...keys].sort(), digest: contextDigest(pairs) };
    last = memo;
  }
  return { contextKeys: memo.sorted.slice(), contextDigest: memo.digest };
}
