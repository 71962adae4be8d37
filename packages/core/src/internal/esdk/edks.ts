// Encrypted data keys (data-format/message-header.md "Encrypted Data Keys";
// framework/structures.md "Encrypted Data Key"). A phiseal WrappedKey is an EDK:
// provider = key provider id, providerInfo = key provider information (UTF-8 of keyId when
// absent), ciphertext = the encrypted data key.
import { PhisealError } from '@phiseal/guard';
import type { WrappedKey } from '../../key-provider.js';
import type { ByteReader } from '../bytes.js';
import { invalidArgument, malformed } from '../failures.js';
import { parseRawAesInfo } from './raw-aes-info.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The provider information bytes of a wrapping. */
export const providerInfoOf = (key: WrappedKey): Uint8Array => key.providerInfo ?? Buffer.from(key.keyId, 'utf8');

/** Serializes the EDK count and entries. */
export function serializeEdks(keys: readonly WrappedKey[]): Buffer {
  if (keys.length === 0 || keys.length > 0xffff) throw invalidArgument('between 1 and 65535 wrapped keys are required');
  const fields: Buffer[] = [Buffer.from([keys.length >>> 8, keys.length & 0xff])];
  for (const key of keys) {
    for (const field of [Buffer.from(key.provider, 'utf8'), providerInfoOf(key), key.ciphertext]) {
      if (field.length > 0xffff) throw invalidArgument('an encrypted data key field is longer than 65535 bytes');
      fields.push(Buffer.from([field.length >>> 8, field.length & 0xff]), Buffer.from(field));
    }
  }
  return Buffer.concat(fields);
}

/** The human-readable key id of provider information: a raw AES key name, or the UTF-8 text. */
function keyIdOf(provider: string, info: Buffer): string {
  if (!provider.startsWith('aws-kms')) {
    const raw = parseRawAesInfo(info);
    const name = raw && decodeUtf8(raw.keyName);
    if (name !== undefined) return name;
  }
  return decodeUtf8(info) ?? info.toString('hex');
}

/** Maps one EDK to a WrappedKey (copies: callers may keep it longer than the message). */
export function toWrappedKey(provider: string, info: Buffer, ciphertext: Buffer): WrappedKey {
  const keyId = keyIdOf(provider, info);
  const plain = Buffer.from(keyId, 'utf8').equals(info);
  const base = { provider, keyId, ciphertext: Uint8Array.from(ciphertext) };
  return plain ? base : { ...base, providerInfo: Uint8Array.from(info) };
}

/** Reads the EDK count and entries; at most `max` entries are accepted. */
export function readEdks(r: ByteReader, max: number): WrappedKey[] {
  const count = r.u16();
  if (count === 0) throw malformed();
  if (count > max) tooManyWrappedKeys(count, max);
  const out: WrappedKey[] = [];
  for (let i = 0; i < count; i++) {
    const id = decodeUtf8(r.block16());
    if (id === undefined) throw malformed();
    const info = r.block16();
    out.push(toWrappedKey(id, info, r.block16()));
  }
  return out;
}

/** Refuses a message with more EDKs than the caller allows (client-apis/client.md "Maximum Number of Encrypted Data Keys"). */
export function tooManyWrappedKeys(count: number, max: number): never {
  throw new PhisealError('LIMIT_EXCEEDED', `The message has ${count} encrypted data keys; at most ${max} are accepted.`, {
    details: { wrappedKeys: count, maxWrappedKeys: max },
  });
}
