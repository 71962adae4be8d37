import { byteReader, byteWriter, fromUtf8, strictUtf8, type ByteReader, type ByteWriter } from './internal/bytes.js';
import { invalidArgument, malformed } from './internal/failures.js';
import { readKeyId, writeKeyId } from './internal/key-id.js';
import type { WrappedKey } from './key-provider.js';

// Provider names get one-byte codes for the two built-in providers (docs/format.md §2).
const PROVIDER_OTHER = 0;
// A wrapping whose ESDK provider information is not the UTF-8 of its key id (a raw AES
// keyring EDK): provider name, key id, provider information and ciphertext, all spelled out.
const PROVIDER_WITH_INFO = 3;
const PROVIDER_CODES = new Map<string, number>([
  ['aws-kms', 1],
  ['local', 2],
]);
const PROVIDER_NAMES = new Map<number, string>([...PROVIDER_CODES].map(([name, code]) => [code, name]));

/** @internal */
export function writeWrappedKeys(w: ByteWriter, keys: readonly WrappedKey[]): void {
  if (keys.length === 0 || keys.length > 255) throw invalidArgument('between 1 and 255 wrapped keys are required');
  w.u8(keys.length);
  for (const key of keys) {
    if (key.providerInfo !== undefined && !Buffer.from(key.keyId, 'utf8').equals(key.providerInfo)) {
      writeWithInfo(w, key, key.providerInfo);
      continue;
    }
    const code = PROVIDER_CODES.get(key.provider);
    if (code === undefined) {
      w.u8(PROVIDER_OTHER);
      writeProviderName(w, key.provider);
    } else {
      w.u8(code);
    }
    writeKeyId(w, key.keyId);
    w.block16(key.ciphertext);
  }
}

function writeProviderName(w: ByteWriter, provider: string): void {
  const name = strictUtf8(provider, 'a provider name');
  if (name.length === 0 || name.length > 255) throw invalidArgument('provider names are 1 to 255 bytes');
  w.u8(name.length);
  w.bytes(name);
}

function writeWithInfo(w: ByteWriter, key: WrappedKey, info: Uint8Array): void {
  w.u8(PROVIDER_WITH_INFO);
  writeProviderName(w, key.provider);
  writeKeyId(w, key.keyId);
  w.block16(info);
  w.block16(key.ciphertext);
}

function readWithInfo(r: ByteReader): WrappedKey {
  const provider = fromUtf8(r.bytes(r.u8()));
  const keyId = readKeyId(r);
  const providerInfo = Uint8Array.from(r.block16());
  // Information equal to the key id's UTF-8 is written without it: one encoding per list.
  if (provider.length === 0 || Buffer.from(keyId, 'utf8').equals(providerInfo)) throw malformed();
  return { provider, keyId, providerInfo, ciphertext: Uint8Array.from(r.block16()) };
}

/** @internal */
export function readWrappedKeys(r: ByteReader): WrappedKey[] {
  const count = r.u8();
  if (count === 0) throw malformed();
  const out: WrappedKey[] = [];
  for (let i = 0; i < count; i++) {
    const code = r.u8();
    if (code === PROVIDER_WITH_INFO) {
      out.push(readWithInfo(r));
      continue;
    }
    const provider = code === PROVIDER_OTHER ? fromUtf8(r.bytes(r.u8())) : PROVIDER_NAMES.get(code);
    // A built-in provider spelled out by name would be a second encoding of the same list.
    if (provider === undefined || provider.length === 0 || (code === PROVIDER_OTHER && PROVIDER_CODES.has(provider))) {
      throw malformed();
    }
    const keyId = readKeyId(r);
    // Copy: callers may keep the wrapped key longer than the message buffer.
    const ciphertext = Uint8Array.from(r.block16());
    out.push({ provider, keyId, ciphertext });
  }
  return out;
}

/**
 * Serializes a list of wrapped data keys (the format phiseal messages use, docs/format.md
 * §2), for adapters whose own formats store the wrapped key.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` for an empty list, more than 255 keys or oversized fields.
 * @example
 * ```ts
 * const { wrappedKeys } = await envelope.dataKey({ 'phiseal:table': 'patients' });
 * const header = encodeWrappedKeys(wrappedKeys);
 * ```
 */
export function encodeWrappedKeys(keys: readonly WrappedKey[]): Uint8Array {
  const w = byteWriter();
  writeWrappedKeys(w, keys);
  return w.finish();
}

/**
 * Parses what {@link encodeWrappedKeys} wrote. Strict: trailing bytes, truncation and
 * non-canonical forms are refused.
 *
 * @throws {@link PhisealError} `MALFORMED_CIPHERTEXT` for anything that is not exactly one encoded list.
 * @example
 * ```ts
 * const wrappedKeys = decodeWrappedKeys(header);
 * const key = await envelope.unwrapDataKey(wrappedKeys, { 'phiseal:table': 'patients' });
 * ```
 */
export function decodeWrappedKeys(bytes: Uint8Array): WrappedKey[] {
  const r = byteReader(bytes);
  const keys = readWrappedKeys(r);
  if (r.remaining !== 0) throw malformed();
  return keys;
}
