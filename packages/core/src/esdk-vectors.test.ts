// Known-answer vectors for the AWS Encryption SDK format (test/vectors/esdk-v2.json):
// - phiseal's own messages from fixed inputs must come out byte for byte, decrypt through
//   the public API, and decrypt in @aws-crypto/client-node (an independent decoder; the
//   Python SDK checked the same vectors when they were made: python-vectors.py);
// - messages written by the JavaScript and Python SDKs must decrypt through the public API.
import { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, buildClient } from '@aws-crypto/client-node';
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/esdk-v2.json' with { type: 'json' };
import { createEnvelope } from './envelope.js';
import { serializeContext } from './internal/esdk/context.js';
import { serializeEdks } from './internal/esdk/edks.js';
import { headerMaterial } from './internal/esdk/header.js';
import { sealMessage } from './internal/esdk/message.js';
import { COMMITTING } from './internal/esdk/suites.js';
import { LocalKeyProvider } from './local-key-provider.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
type Vector = { description: string; keyName: string; keyNamespace: string; wrappingKey: string; context: Record<string, string>; plaintext: string; message: string };

async function decryptsThroughApi(v: Vector, legacy = false): Promise<void> {
  const keys = new LocalKeyProvider({ keyId: v.keyName, key: bytes(v.wrappingKey), namespace: v.keyNamespace });
  const envelope = createEnvelope({ keys, guard: false, ...(legacy ? { commitmentPolicy: 'require-encrypt-allow-decrypt' as const } : {}) });
  for (const sealed of [bytes(v.message), bytes(v.message).toString('base64')]) {
    const out = await envelope.decrypt(sealed, { context: v.context });
    expect(Buffer.from(out.plaintext).toString('hex')).toBe(v.plaintext);
    for (const [key, value] of Object.entries(v.context)) expect(out.context[key]).toBe(value);
  }
}

describe('ESDK known-answer vectors: phiseal writes', () => {
  expect(vectors.phisealCheckedBy).toMatch(/^aws-encryption-sdk \(Python\) 4\./);
  for (const v of vectors.phiseal) {
    it(v.description, async () => {
      const context = v.context as Record<string, string>;
      // Rebuild from the fixed inputs: wrap the data key as the raw AES keyring does, with the vector's IV.
      const cipher = createCipheriv('aes-256-gcm', bytes(v.wrappingKey), bytes(v.wrapIv));
      cipher.setAAD(serializeContext(context));
      const sealedKey = Buffer.concat([cipher.update(bytes(v.dataKey)), cipher.final(), cipher.getAuthTag()]);
      const providerInfo = Buffer.concat([Buffer.from(v.keyName), bytes('000000800000000c'), bytes(v.wrapIv)]);
      const material = headerMaterial(serializeContext(context), serializeEdks([{ provider: v.keyNamespace, keyId: v.keyName, providerInfo, ciphertext: sealedKey }]));
      const rebuilt = sealMessage({ suite: COMMITTING, dataKey: bytes(v.dataKey), material }, bytes(v.plaintext), v.frameLength, bytes(v.messageId));
      expect(rebuilt.toString('hex')).toBe(v.message);

      await decryptsThroughApi(v);
      const keyring = new RawAesKeyringNode({
        keyName: v.keyName,
        keyNamespace: v.keyNamespace,
        unencryptedMasterKey: new Uint8Array(bytes(v.wrappingKey)),
        wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
      });
      const read = await sdk.decrypt(keyring, bytes(v.message));
      expect(Buffer.from(read.plaintext).toString('hex')).toBe(v.plaintext);
      expect(Buffer.from(read.messageHeader.messageId).toString('hex')).toBe(v.messageId);
      expect(read.messageHeader.frameLength).toBe(v.frameLength);
      expect(read.messageHeader.encryptionContext).toEqual(context);
    });
  }
});

describe('ESDK known-answer vectors: the SDKs write, phiseal reads', () => {
  for (const v of vectors['sdk-js']) it(`JavaScript SDK: ${v.description}`, () => decryptsThroughApi(v as Vector, v.legacy));
  for (const v of vectors.python) it(`Python SDK: ${v.description}`, () => decryptsThroughApi(v as Vector));
  it('refuses the legacy vectors under the default commitment policy', async () => {
    for (const v of vectors['sdk-js'].filter((x) => x.legacy)) {
      await expect(decryptsThroughApi(v as Vector)).rejects.toMatchObject({ code: 'COMMITMENT_POLICY_VIOLATION' });
    }
  });
});
