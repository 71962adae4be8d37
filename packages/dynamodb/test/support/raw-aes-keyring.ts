import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PhisealError, type EncryptionContext, type GeneratedDataKey, type KeyProvider, type UnwrappedDataKey, type WrappedKey } from '@phiseal/core';

// The MPL raw AES keyring (aws-encryption-sdk-specification framework/raw-aes-keyring.md) as a
// phiseal KeyProvider, for known-answer vectors and the Java peer's raw AES keyring: provider id
// = key namespace, provider info = key name, u32 tag bits (128), u32 IV length (12), IV;
// ciphertext = AES-256-GCM ciphertext + tag with the serialized context as AAD.
// (LocalKeyProvider gains this layout in core with the ESDK work; this copy keeps the
// dynamodb tests independent of when that lands.)

type InfoWrappedKey = WrappedKey & { readonly providerInfo?: Uint8Array };

function contextAad(ec: EncryptionContext): Buffer {
  const keys = Object.keys(ec)
    .map((k) => Buffer.from(k, 'utf8'))
    .sort((a, b) => Buffer.compare(a, b));
  if (keys.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [u16(keys.length)];
  for (const k of keys) {
    const v = Buffer.from(ec[k.toString('utf8')]!, 'utf8');
    parts.push(u16(k.length), k, u16(v.length), v);
  }
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

/**
 * A raw AES keyring key provider.
 * @throws never at construction.
 * @example
 * ```ts
 * const keys = rawAesKeyring('phiseal-tests', 'aes-1', key);
 * ```
 */
export function rawAesKeyring(namespace: string, name: string, key: Uint8Array): KeyProvider {
  const wrappingKey = Buffer.from(key);
  const nameBytes = Buffer.from(name, 'utf8');
  const wrap = (dataKey: Uint8Array, ec: EncryptionContext): InfoWrappedKey => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv);
    cipher.setAAD(contextAad(ec));
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    const info = Buffer.concat([nameBytes, Buffer.from([0, 0, 0, 128, 0, 0, 0, 12]), iv]);
    return { provider: namespace, keyId: name, providerInfo: info, ciphertext };
  };
  return {
    id: `raw-aes:${namespace}:${name}`,
    generate(ec): Promise<GeneratedDataKey> {
      const dataKey = randomBytes(32);
      return Promise.resolve({ key: dataKey, wrapped: [wrap(dataKey, ec)] });
    },
    wrap(dataKey, ec): Promise<readonly WrappedKey[]> {
      return Promise.resolve([wrap(dataKey, ec)]);
    },
    unwrap(wrapped, ec): Promise<UnwrappedDataKey> {
      for (const w of wrapped as readonly InfoWrappedKey[]) {
        const info = w.providerInfo ? Buffer.from(w.providerInfo) : undefined;
        if (w.provider !== namespace || !info || info.length !== nameBytes.length + 20 || !info.subarray(0, nameBytes.length).equals(nameBytes)) continue;
        try {
          const decipher = createDecipheriv('aes-256-gcm', wrappingKey, info.subarray(nameBytes.length + 8));
          decipher.setAAD(contextAad(ec));
          const body = Buffer.from(w.ciphertext);
          decipher.setAuthTag(body.subarray(body.length - 16));
          const out = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
          return Promise.resolve({ key: out, keyId: name });
        } catch {
          return Promise.reject(new PhisealError('DECRYPTION_FAILED', 'The data key could not be unwrapped.'));
        }
      }
      return Promise.reject(new PhisealError('KEY_NOT_ALLOWED', 'No data key is wrapped under this raw AES key.'));
    },
  };
}
