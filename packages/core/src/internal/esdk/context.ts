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

/**
 * Serializes a context. No total-size limit here: a raw AES wrapping's AAD may be longer;
 * the message header's AAD length field (u16) is checked where the header is built.
 */
export function serializeContext(context: EncryptionContext): Buffer {
  const pairs = Object.keys(context).map((k): [Buffer, Buffer] => [Buffer.from(utf8(k)), Buffer.from(utf8(context[k]!))]);
  if (pairs.length === 0) return Buffer.alloc(0);
  if (pairs.length > 0xffff) throw invalidArgument('context has too many entries');
  pairs.sort(byBytes);
  let size = 2;
  for (const [k, v] of pairs) {
    if (k.length > 0xffff || v.length > 0xffff) throw invalidArgument('a context key or value is longer than 65535 bytes');
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
