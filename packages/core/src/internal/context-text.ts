// One serialization of a context per data-key cache miss. A miss used to write the same context
// three times: as JSON for the cache key, as ESDK bytes for the raw AES wrapping's AAD, and as
// phiseal bytes for the seeded unwrap entry's key. Now the cache keys hold the ESDK
// serialization itself (an injective, canonical encoding), and the frozen copy a miss makes of
// the context remembers its serialization, so the key provider and the seed reuse it.
import type { EncryptionContext } from '../key-provider.js';
import { contextIdOf } from './context.js';
import { keyPlan } from './context-keys.js';
import { serializeContext } from './esdk/context.js';

/**
 * Exactly `serializeContext(context).toString('latin1')` (framework/structures.md
 * "Serialization": empty context -> empty; else u16 count, then u16-length key and value per
 * pair, keys sorted by their UTF-8 bytes), built as a string (context-text.property.test.ts).
 * @throws {@link PhisealError} `INVALID_ARGUMENT` for a key or value over 65535 bytes, more than
 * 65535 pairs, or a lone surrogate.
 */
export function contextText(context: EncryptionContext): string {
  const keys = Object.keys(context);
  if (keys.length === 0) return '';
  const plan = keyPlan(keys);
  // Keys whose UTF-16 and UTF-8 orders may differ take serializeContext's byte sort.
  if (plan.high) return serializeContext(context).toString('latin1');
  // Same layout, keys in UTF-16 order, which here is the UTF-8 order.
  return contextIdOf(context, plan);
}

type Forms = { text: string | undefined; bytes: Buffer | undefined };

// Only copies this module froze: their pairs are plain data properties that cannot change, so a
// serialization computed once stays right. A caller's own frozen object may have getters.
// The last RECENT copies are remembered by identity, in a ring: a miss uses its copy's forms
// within one key-provider call (the wrapping's AAD, then the seeded entry's key), so a copy that
// has left the ring (more than RECENT misses in flight at once) only computes them again. A
// WeakMap entry per miss cost more than the lookups it saved (an ephemeron for the GC to trace).
const RECENT = 16;
const recentCopies: (object | undefined)[] = new Array<undefined>(RECENT).fill(undefined);
const recentForms: Forms[] = Array.from({ length: RECENT }, () => ({ text: undefined, bytes: undefined }));
let slot = 0;

function formsOf(context: EncryptionContext): Forms | undefined {
  for (let i = 0; i < RECENT; i++) if (recentCopies[i] === context) return recentForms[i];
  return undefined;
}

/**
 * The own enumerable pairs of `context` in a new plain object, as `{ ...context }` makes them.
 * Built by stores, not by the spread: V8 freezes a spread clone slowly (~0.6 µs, its shape is
 * outside the transition tree), and a copy is frozen on every data-key cache miss. A key named
 * "__proto__" must stay an own data property (a store would set the prototype): such a context
 * takes the spread.
 */
export function copyPairs(context: EncryptionContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(context)) {
    if (key === '__proto__') return { ...context };
    out[key] = context[key]!;
  }
  return out;
}

/**
 * A frozen copy of `context` that remembers its serialization once computed. `text`, when
 * given, is {@link contextText} of `context` as the caller's cache key holds it, computed in the
 * same synchronous step: the key provider's AAD then binds exactly what the cache key names.
 */
export function frozenCopy(context: EncryptionContext, text?: string): Readonly<EncryptionContext> {
  const copy = Object.freeze(copyPairs(context));
  slot = (slot + 1) % RECENT;
  recentCopies[slot] = copy;
  // A fresh record, not the old one's fields: a caller may still hold the evicted copy's bytes.
  recentForms[slot] = { text, bytes: undefined };
  return copy;
}

/** {@link contextText} of `context`, computed once for a {@link frozenCopy}. */
export function contextTextOf(context: EncryptionContext): string {
  const forms = formsOf(context);
  if (!forms) return contextText(context);
  return (forms.text ??= contextText(context));
}

/** The ESDK serialization of `context` (a raw AES wrapping's AAD), computed once for a {@link frozenCopy}. */
export function contextBytesOf(context: EncryptionContext): Buffer {
  const forms = formsOf(context);
  if (!forms) return Buffer.from(contextText(context), 'latin1');
  return (forms.bytes ??= Buffer.from(contextTextOf(context), 'latin1'));
}
