// Interop with the AWS Encryption SDK for JavaScript (@aws-crypto/client-node) through a raw
// AES keyring: no emulator needed. phiseal writes -> the SDK decrypts, and the SDK writes ->
// phiseal decrypts, across sizes around the frame length, contexts, both suites, and
// multi-EDK messages.
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  buildClient,
  MultiKeyringNode,
} from '@aws-crypto/client-node';
import { randomBytes } from 'node:crypto';
import { LocalKeyProvider, MultiKeyProvider, createEnvelope } from '@phiseal/core';
import { describe, expect, it } from 'vitest';

const wrappingKey = randomBytes(32);
const otherKey = randomBytes(32);
const keyring = (key: Buffer, keyName: string) =>
  new RawAesKeyringNode({
    keyName,
    keyNamespace: 'phiseal-local',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const legacySdk = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const local = () => new LocalKeyProvider({ keyId: 'dev-key', key: wrappingKey });
const sizes = [0, 1, 4095, 4096, 4097, 3 * 4096, 70_000];
const contexts = [{}, { tenant: 'clinic-a', purpose: 'claims' }];

describe('ESDK messages with @aws-crypto/client-node (raw AES keyring)', () => {
  for (const algorithmSuite of ['committing', 'committing-signed'] as const) {
    for (const size of sizes) {
      for (const context of contexts) {
        it(`${algorithmSuite}, ${size} B, ${Object.keys(context).length} pairs: phiseal -> SDK -> phiseal`, async () => {
          const envelope = createEnvelope({ keys: local(), algorithmSuite });
          const plaintext = randomBytes(size);
          const ours = await envelope.encrypt(plaintext, { context });
          const read = await sdk.decrypt(keyring(wrappingKey, 'dev-key'), ours);
          expect(Buffer.from(read.plaintext).equals(plaintext)).toBe(true);
          expect(read.messageHeader.suiteId).toBe(algorithmSuite === 'committing' ? 0x0478 : 0x0578);
          for (const [k, v] of Object.entries(context)) expect(read.messageHeader.encryptionContext[k]).toBe(v);

          const suiteId = algorithmSuite === 'committing'
            ? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY
            : AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
          const theirs = await sdk.encrypt(keyring(wrappingKey, 'dev-key'), plaintext, { encryptionContext: context, suiteId });
          const reader = createEnvelope({ keys: local() });
          const out = await reader.decrypt(theirs.result, { context });
          expect(Buffer.from(out.plaintext).equals(plaintext)).toBe(true);
          expect(out.keyId).toBe('dev-key');
        });
      }
    }
  }

  it('reads legacy v1 suites only under require-encrypt-allow-decrypt', async () => {
    const theirs = await legacySdk.encrypt(keyring(wrappingKey, 'dev-key'), Buffer.from('legacy'), {
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    });
    await expect(createEnvelope({ keys: local() }).decrypt(theirs.result)).rejects.toMatchObject({ code: 'COMMITMENT_POLICY_VIOLATION' });
    const reader = createEnvelope({ keys: local(), commitmentPolicy: 'require-encrypt-allow-decrypt' });
    expect(Buffer.from((await reader.decrypt(theirs.result)).plaintext).toString()).toBe('legacy');
    for (const suiteId of [
      AlgorithmSuiteIdentifier.ALG_AES128_GCM_IV12_TAG16,
      AlgorithmSuiteIdentifier.ALG_AES192_GCM_IV12_TAG16_HKDF_SHA256,
      AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256,
      AlgorithmSuiteIdentifier.ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,
      AlgorithmSuiteIdentifier.ALG_AES192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    ]) {
      const message = await legacySdk.encrypt(keyring(wrappingKey, 'dev-key'), Buffer.from('v1'), { suiteId, frameLength: 1 });
      expect(Buffer.from((await reader.decrypt(message.result)).plaintext).toString()).toBe('v1');
    }
  });

  it('writes one EDK per provider; the SDK reads it with either key', async () => {
    const keys = new MultiKeyProvider([local(), new LocalKeyProvider({ keyId: 'recovery', key: otherKey })]);
    const ours = await createEnvelope({ keys }).encrypt('multi', { context: { a: 'b' } });
    for (const ring of [keyring(wrappingKey, 'dev-key'), keyring(otherKey, 'recovery')]) {
      const read = await sdk.decrypt(ring, ours);
      expect(Buffer.from(read.plaintext).toString()).toBe('multi');
      expect(read.messageHeader.encryptedDataKeys).toHaveLength(2);
    }
    const multi = new MultiKeyringNode({ generator: keyring(otherKey, 'recovery'), children: [keyring(wrappingKey, 'dev-key')] });
    const theirs = await sdk.encrypt(multi, Buffer.from('from sdk'));
    expect(Buffer.from((await createEnvelope({ keys: local() }).decrypt(theirs.result)).plaintext).toString()).toBe('from sdk');
  });
});
