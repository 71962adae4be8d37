// Issue 11, defect 3: the sealed ("encrypted") attributes of a message must be exactly what
// its producer sealed. An inline body carries them inside its authenticated frame; an
// offloaded message carries them in the `PhisealSealedAttributes` block, which is bound to
// its payload by the payload's S3 key (inside the block) and, the other way round, by a
// reserved pair in the payload's authenticated encryption context that says how many
// attributes the block holds. So a block can be neither removed, added nor swapped, and a
// visible attribute can never stand in for a sealed one.
//
// An inline body in the ESDK format (esdk-inline.ts) uses the same two-way binding: the
// body's authenticated context announces how many attributes its block holds (the same
// reserved pair as a payload's), and the block holds the SHA-256 of the body's ESDK message.
// Since an ESDK body's plaintext is whatever the caller sent, an ESDK block is recognised by
// a second reserved pair in its own context (`phiseal:part`), never by its plaintext.
import type { Attributes } from './attributes.js';
import { emptyAttributes } from './attributes.js';
import { decryptionFailed, invalidArgument, invalidConfiguration } from './errors.js';
import { isList } from './is-list.js';

/** Reserved context key on offloaded payloads: the number of sealed attributes of the message. */
export const SEALED_CONTEXT_KEY = 'phiseal:sealed-attributes';

/** Reserved context key of a sealed-attribute block in the ESDK format: its purpose label. */
export const PART_CONTEXT_KEY = 'phiseal:part';
/** The value of {@link PART_CONTEXT_KEY} on a sealed-attribute block. */
export const BLOCK_PART = 'sealed-attributes';
const RESERVED_CONTEXT_KEYS = [SEALED_CONTEXT_KEY, PART_CONTEXT_KEY];

/** Which attribute names a queue (or a decryptRecord config) treats as sealed. */
export type SealedNames = ReadonlySet<string> | 'all';

/**
 * Parses `encryptedAttributes`.
 * @throws PhisealError `INVALID_CONFIGURATION`.
 */
export function sealedNames(value: unknown): SealedNames {
  if (value === undefined) return new Set();
  if (value === 'all') return 'all';
  if (!isList(value) || (value as unknown[]).some((name) => typeof name !== 'string')) {
    throw invalidConfiguration("encryptedAttributes must be a list of attribute names or 'all'.");
  }
  return new Set(value as string[]);
}

/** The reserved pair written into an offloaded payload's context (none without sealed attributes). */
export function sealedContextPair(sealedCount: number): Record<string, string> {
  return sealedCount === 0 ? {} : { [SEALED_CONTEXT_KEY]: String(sealedCount) };
}

/** The reserved pair written into the context of an ESDK sealed-attribute block. */
export function blockContextPair(): Record<string, string> {
  return { [PART_CONTEXT_KEY]: BLOCK_PART };
}

/**
 * Refuses a caller context that uses a reserved key.
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function checkCallerContext(context: Readonly<Record<string, string>> | undefined): void {
  if (context === undefined) return;
  for (const key of RESERVED_CONTEXT_KEYS) {
    if (Object.hasOwn(context, key)) throw invalidArgument(`The context key ${key} is reserved.`);
  }
}

/**
 * Checks that the payload's authenticated context announces exactly the block received
 * (`sealedCount` undefined: no block).
 * @throws PhisealError `DECRYPTION_FAILED`.
 */
export function checkPayloadBinding(payloadContext: Readonly<Record<string, string>>, sealedCount: number | undefined): void {
  const announced = Object.hasOwn(payloadContext, SEALED_CONTEXT_KEY) ? payloadContext[SEALED_CONTEXT_KEY] : undefined;
  const expected = sealedCount === undefined ? undefined : String(sealedCount);
  if (announced !== expected) throw decryptionFailed({ part: 'sealedAttributes' });
}

/**
 * Merges visible and sealed attributes of an encrypted message. A visible attribute whose
 * name is sealed in this message, or configured as sealed, is forged (SQS attributes are
 * unauthenticated) and refused rather than shadowed or returned.
 * @throws PhisealError `DECRYPTION_FAILED`.
 */
export function mergeSealed(visible: Attributes, inside: Attributes, configured: SealedNames): Attributes {
  for (const name of Object.keys(visible)) {
    if (Object.hasOwn(inside, name) || configured === 'all' || configured.has(name)) {
      throw decryptionFailed({ part: 'attributes' });
    }
  }
  const out = emptyAttributes();
  Object.assign(out, visible, inside);
  return out;
}
