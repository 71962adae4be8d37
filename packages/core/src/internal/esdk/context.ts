// Encryption context serialization (framework/structures.md "Serialization"): empty
// context -> empty bytes; otherwise u16 count, then per pair u16-length key, u16-length
// value, keys sorted by their UTF-8 bytes. The same bytes are the header AAD's key-value
// pairs, the raw AES keyring's AAD and (through the header) what the body is bound to.
import type { EncryptionContext } from '../../key-provider.js';
import { byteReader, fromUtf8, utf8 } from '../bytes.js';
import { invalidArgument, malformed } from '../failures.js';

/** Keys the SDK reserves for itself (client-apis/encrypt.md, "Encryption Context"). */
export const RESERVED_PREFIX = 'aws-crypto-';
/** The signing suites' verification key (framework/default-cmm.md). */
export const PUBLIC_KEY_FIELD = 'aws-crypto-public-key';

/** Refuses caller contexts that use the SDK's reserved key prefix. */
export function refuseReserved(context: EncryptionContext): void {
  for (const key of Object.keys(context)) {
    if (key.startsWith(RESERVED_PREFIX)) {
      throw invalidArgument(`encryption context keys starting with "${RESERVED_PREFIX}" are reserved`);
    }
  }
}

const byBytes = (a: [Buffer, Buffer], b: [Buffer, Buffer]): number => Buffer.compare(a[0], b[0]);
const LONG = (): Error => invalidArgument('a context key or value is longer than 65535 bytes');

// UTF-8 byte order is code point order, which the default (UTF-16 code unit) sort also gives
// unless a key holds a surrogate or a code unit from U+E000: those keys take the byte sort.
const HIGH_UNIT = /[\uD800-\uFFFF]/;

/**
 * Serializes a context. No total-size limit here: a raw AES wrapping's AAD may be longer;
 * the message header's AAD length field (u16) is checked where the header is built. It runs
 * on every data-key cache miss (the raw AES keyring's AAD), so the usual context is written
 * straight into one buffer.
 */
export function serializeContext(context: EncryptionContext): Buffer {
  const keys = Object.keys(context);
  if (keys.length === 0) return Buffer.alloc(0);
  if (keys.length > 0xffff) throw invalidArgument('context has too many entries');
  if (keys.some((k) => HIGH_UNIT.test(k))) return serializeByBytes(keys, context);
  keys.sort();
  let size = 2;
  for (const k of keys) {
    const kl = Buffer.byteLength(k, 'utf8');
    const vl = Buffer.byteLength(context[k]!, 'utf8');
    if (kl > 0xffff || vl > 0xffff) throw LONG();
    size += 4 + kl + vl;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt16BE(keys.length, 0);
  for (const k of keys) {
    at = writeBlock16(out, at, k);
    at = writeBlock16(out, at, context[k]!);
  }
  return out;
}

// The u16 length, then the UTF-8 (the buffer was sized for it, so nothing is cut short).
function writeBlock16(out: Buffer, at: number, text: string): number {
  const n = out.write(text, at + 2, 'utf8');
  out.writeUInt16BE(n, at);
  return at + 2 + n;
}

function serializeByBytes(keys: readonly string[], context: EncryptionContext): Buffer {
  const pairs = keys.map((k): [Buffer, Buffer] => [Buffer.from(utf8(k)), Buffer.from(utf8(context[k]!))]);
  pairs.sort(byBytes);
  let size = 2;
  for (const [k, v] of pairs) {
    if (k.length > 0xffff || v.length > 0xffff) throw LONG();
    size += 4 + k.length + v.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt16BE(pairs.length, 0);
  for (const [k, v] of pairs) {
    at = out.writeUInt16BE(k.length, at);
    at += k.copy(out, at);
    at = out.writeUInt16BE(v.length, at);
    at += v.copy(out, at);
  }
  return out;
}

/** Parses serialized key-value pairs (the header AAD's content). Duplicate keys are refused. */
export function parseContext(bytes: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (bytes.length === 0) return out;
  const r = byteReader(bytes);
  const count = r.u16();
  if (count === 0) throw malformed();
  for (let i = 0; i < count; i++) {
    const key = fromUtf8(r.block16());
    const value = fromUtf8(r.block16());
    if (Object.hasOwn(out, key)) throw malformed();
    // defineProperty, not assignment: a stored key named "__proto__" must stay data.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (r.remaining !== 0) throw malformed();
  return out;
}
