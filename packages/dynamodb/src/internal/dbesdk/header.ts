import { timingSafeEqual } from 'node:crypto';
import { hmacOnce } from './hmac.js';
import { serializeContext } from './encryption-context.js';
import { COMMITMENT_BYTES, MESSAGE_ID_BYTES, suiteOfFlavor, type DbeSuite } from './suites.js';

// aws_dbe_head (structured-encryption/header.md): version, flavor, message id, the encrypt
// legend, the stored encryption context, the encrypted data keys, then a 32-byte commitment
// that binds the data key to this header. The spec text says HMAC-SHA384; the implementation
// (Header.dfy CalculateHeaderCommitment) uses the suite's commit-key HMAC, SHA-512, truncated
// to 32 bytes, and the Java peer agrees: SHA-512 it is.

/** Legend bytes (header.md "Encrypt Legend Bytes"). */
export const LEGEND_ENCRYPT = 0x65; // 'e'
export const LEGEND_SIGN = 0x73; // 's'
export const LEGEND_CONTEXT = 0x63; // 'c'

/** One encrypted data key as the header stores it. */
export type HeaderDataKey = { readonly providerId: string; readonly providerInfo: Buffer; readonly ciphertext: Buffer };

/** A parsed header. */
export type ParsedHeader = {
  readonly version: 1 | 2;
  readonly suite: DbeSuite;
  readonly messageId: Buffer;
  /** One byte per signed attribute, in canonical-path order. */
  readonly legend: Buffer;
  readonly storedContext: Record<string, string>;
  readonly dataKeys: readonly HeaderDataKey[];
  /** Everything before the commitment. */
  readonly partial: Buffer;
  readonly commitment: Buffer;
};

// A u16-length-prefixed field written at `at`; returns where the next one starts.
function writeField(out: Buffer, field: Uint8Array, at: number): number {
  at = out.writeUInt16BE(field.length, at);
  out.set(field, at);
  return at + field.length;
}

// The partial header written in place into `out` from `at` (exact size from partialLength).
// TypedArray#set and index writes, not Buffer#copy: no argument checks and no view per field.
function writePartial(h: Omit<ParsedHeader, 'partial' | 'commitment'>, context: Buffer, providerIds: readonly Buffer[], out: Buffer): number {
  out[0] = h.version;
  out[1] = h.suite.flavor;
  out.set(h.messageId, 2);
  let at = writeField(out, h.legend, 2 + h.messageId.length);
  out.set(context, at);
  at += context.length;
  out[at++] = h.dataKeys.length; // 1 .. 255, checked by partialParts
  for (let i = 0; i < h.dataKeys.length; i++) {
    const k = h.dataKeys[i]!;
    at = writeField(out, providerIds[i]!, at);
    at = writeField(out, k.providerInfo, at);
    at = writeField(out, k.ciphertext, at);
  }
  return at;
}

// Sizes of the partial header, after the same checks the length prefixes need.
function partialParts(h: Omit<ParsedHeader, 'partial' | 'commitment'>): { context: Buffer; providerIds: Buffer[]; length: number } {
  if (h.dataKeys.length === 0 || h.dataKeys.length > 255) throw new RangeError('data keys');
  if (h.legend.length > 0xffff) throw new RangeError('field');
  const context = serializeContext(h.storedContext);
  const providerIds: Buffer[] = [];
  let length = 2 + h.messageId.length + 2 + h.legend.length + context.length + 1;
  for (const k of h.dataKeys) {
    const id = Buffer.from(k.providerId, 'utf8');
    providerIds.push(id);
    for (const field of [id.length, k.providerInfo.length, k.ciphertext.length]) {
      if (field > 0xffff) throw new RangeError('field');
      length += 2 + field;
    }
  }
  return { context, providerIds, length };
}

/**
 * The partial header (everything the commitment covers).
 * @throws RangeError when a field exceeds its length prefix or there are 0 or more than 255 data keys.
 * @example
 * ```ts
 * const partial = serializePartialHeader({ version: 1, suite, messageId, legend, storedContext: {}, dataKeys });
 * ```
 */
export function serializePartialHeader(h: Omit<ParsedHeader, 'partial' | 'commitment'>): Buffer {
  const { context, providerIds, length } = partialParts(h);
  const out = Buffer.allocUnsafe(length); // every byte written below
  writePartial(h, context, providerIds, out);
  return out;
}

/**
 * The whole header: the partial header and its commitment under `commitKey`, in one buffer.
 * @throws RangeError as {@link serializePartialHeader}.
 * @example
 * ```ts
 * const header = serializeHeader({ version: 1, suite, messageId, legend, storedContext: {}, dataKeys }, commitKey);
 * ```
 */
export function serializeHeader(h: Omit<ParsedHeader, 'partial' | 'commitment'>, commitKey: Uint8Array): Buffer {
  const { context, providerIds, length } = partialParts(h);
  const out = Buffer.allocUnsafe(length + COMMITMENT_BYTES); // every byte written below
  writePartial(h, context, providerIds, out);
  out.set(commitment(commitKey, out.subarray(0, length)), length);
  return out;
}

/**
 * The header commitment: HMAC-SHA512 under the commit key, first 32 bytes.
 * @throws never
 * @example
 * ```ts
 * const header = Buffer.concat([partial, commitment(commitKey, partial)]);
 * ```
 */
export function commitment(commitKey: Uint8Array, partial: Uint8Array): Buffer {
  return hmacOnce('sha512', commitKey, partial).subarray(0, COMMITMENT_BYTES);
}

/**
 * Checks a parsed header's commitment in constant time.
 * @throws never
 * @example
 * ```ts
 * if (!commitmentMatches(commitKey, header)) throw decryptionFailed();
 * ```
 */
export function commitmentMatches(commitKey: Uint8Array, h: ParsedHeader): boolean {
  return timingSafeEqual(commitment(commitKey, h.partial), h.commitment);
}

// A read position in the header's copy: every read is bounds-checked, and no reader object
// or view is made per field (a header is parsed for every item read).
type Cursor = { readonly b: Buffer; at: number };

function take(c: Cursor, n: number): number {
  const from = c.at;
  if (from + n > c.b.length) throw new RangeError('truncated');
  c.at = from + n;
  return from;
}

const u8 = (c: Cursor): number => c.b[take(c, 1)]!;
const view = (c: Cursor, n: number): Buffer => c.b.subarray(take(c, n), c.at);
const text = (c: Cursor, n: number): string => c.b.toString('utf8', take(c, n), c.at);

function u16(c: Cursor): number {
  const i = take(c, 2);
  return (c.b[i]! << 8) | c.b[i + 1]!;
}

function readContext(c: Cursor): Record<string, string> {
  const count = u16(c);
  const out: Record<string, string> = {};
  let previous: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(view(c, u16(c)));
    const value = text(c, u16(c));
    // Strictly increasing keys: one encoding per context (header.md: sorted, no duplicates).
    if (previous && Buffer.compare(previous, key) >= 0) throw new RangeError('order');
    previous = key;
    Object.defineProperty(out, key.toString('utf8'), { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readDataKeys(c: Cursor): HeaderDataKey[] {
  const count = u8(c);
  if (count === 0) throw new RangeError('no data keys');
  const dataKeys: HeaderDataKey[] = [];
  for (let i = 0; i < count; i++) {
    const providerId = text(c, u16(c));
    const providerInfo = view(c, u16(c));
    dataKeys.push({ providerId, providerInfo, ciphertext: view(c, u16(c)) });
  }
  return dataKeys;
}

/**
 * Parses aws_dbe_head.
 * @throws RangeError for anything that is not a well-formed header (callers map it to their one decryption failure).
 * @example
 * ```ts
 * const header = parseHeader(item.aws_dbe_head.B);
 * ```
 */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  // One copy of the stored bytes (the caller's item may change later); the fields are views of it.
  const total = Buffer.from(bytes);
  const c: Cursor = { b: total, at: 0 };
  const version = u8(c);
  if (version !== 1 && version !== 2) throw new RangeError('version');
  const suite = suiteOfFlavor(u8(c));
  if (!suite) throw new RangeError('flavor');
  const messageId = view(c, MESSAGE_ID_BYTES);
  const legend = view(c, u16(c));
  for (const b of legend) if (b !== LEGEND_ENCRYPT && b !== LEGEND_SIGN && b !== LEGEND_CONTEXT) throw new RangeError('legend');
  const storedContext = readContext(c);
  const dataKeys = readDataKeys(c);
  if (total.length - c.at !== COMMITMENT_BYTES) throw new RangeError('length');
  const partial = total.subarray(0, c.at);
  return { version, suite, messageId, legend, storedContext, dataKeys, partial, commitment: total.subarray(c.at) };
}
