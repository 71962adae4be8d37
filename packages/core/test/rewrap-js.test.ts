// rewrapMessage against the AWS Encryption SDK for JavaScript (@aws-crypto/client-node) through
// KMS on the emulator: messages the SDK wrote under one KMS key, moved by phiseal to another,
// are read by the SDK's strict keyring for the new key and refused by the one for the old key.
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { KmsKeyProvider, createEnvelope, rewrapMessage } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

type KmsClientSupplier = NonNullable<NonNullable<ConstructorParameters<typeof KmsKeyringNode>[0]>['clientProvider']>;
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// The SDK's keyrings call the aggregated client's methods, so `KMS`, not `KMSClient` (see esdk-js-kms.test.ts).
const clientProvider = (() => new KMS(awsClientConfig())) as unknown as KmsClientSupplier;
const strict = (generatorKeyId: string) => new KmsKeyringNode({ generatorKeyId, clientProvider });
const SUITES = {
  committing: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
  'committing-signed': AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
} as const;

describe('rewrapMessage with @aws-crypto/client-node', () => {
  it.each(['committing', 'committing-signed'] as const)('%s: the SDK reads a moved message with the new key only', async (suite) => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('rewrap js old'), createKmsKey('rewrap js new')]);
    const envelope = (keyId: string) => createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), algorithmSuite: suite });
    const plaintext = randomBytes(9000);
    const context = { tenant: 'clinic-a' };
    const theirs = await sdk.encrypt(strict(oldArn), plaintext, { encryptionContext: context, suiteId: SUITES[suite] });
    const ours = await envelope(oldArn).encrypt(plaintext, { context });
    for (const message of [theirs.result, ours]) {
      const moved = await rewrapMessage(message, { from: envelope(oldArn), to: envelope(newArn) });
      const read = await sdk.decrypt(strict(newArn), moved);
      expect(Buffer.from(read.plaintext).equals(plaintext)).toBe(true);
      expect(read.messageHeader.encryptionContext).toMatchObject(context);
      expect(read.messageHeader.encryptedDataKeys.map((k) => k.providerInfo)).toEqual([newArn]);
      await expect(sdk.decrypt(strict(oldArn), moved)).rejects.toThrow();
    }
  });
});
