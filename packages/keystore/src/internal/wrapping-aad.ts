import { PhisealError, type EncryptionContext } from '@phiseal/core';
import { PROVIDER_ID } from './constants.js';

// aws-kms-hierarchical-keyring.md §Wrapping AAD: UTF-8 provider id || UTF-8 branch key id ||
// 16-byte branch key version || the encryption context serialized as in the ESDK message
// header's AAD (u16 count, then u16-length key and value per pair, sorted by the UTF-8 bytes
// of the keys; nothing at all for an empty context).

function serializeContext(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  if (pairs.length === 0) return Buffer.alloc(0);
  pairs.sort(([a], [b]) => Buffer.compare(a, b));
  const parts: Buffer[] = [u16(pairs.length)];
  for (const [k, v] of pairs) parts.push(u16(k.length), k, u16(v.length), v);
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  if (n > 0xffff) throw new PhisealError('INVALID_ARGUMENT', 'an encryption context entry or count exceeds 65535 bytes');
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** The AES-GCM additional data that binds a wrapped data key to its branch key, version and context. */
export function wrappingAad(branchKeyId: string, version: Uint8Array, context: EncryptionContext): Buffer {
  return Buffer.concat([Buffer.from(PROVIDER_ID, 'utf8'), Buffer.from(branchKeyId, 'utf8'), version, serializeContext(context)]);
}
