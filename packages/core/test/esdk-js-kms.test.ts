// Interop with the AWS Encryption SDK for JavaScript (@aws-crypto/client-node) through KMS on
// the emulator: the SDK's strict KMS keyring and discovery keyring read phiseal's messages,
// phiseal reads the SDK's, for both suites, sizes around a frame and 1 MiB, empty and
// non-empty contexts and multi-EDK messages; and the refusals (wrong context, key not in
// decryptKeyIds, too many EDKs, altered signature or public key).
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';

type KmsClientSupplier = NonNullable<NonNullable<ConstructorParameters<typeof KmsKeyringNode>[0]>['clientProvider']>;
import { KMS } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { KmsKeyProvider, MultiKeyProvider, createEnvelope } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// The SDK's keyrings call the aggregated client's methods (kms.decrypt), so `KMS`, not `KMSClient`.
// (Its AwsEsdkKMSInterface types predate exactOptionalPropertyTypes, hence the cast.)
const clientProvider = (() => new KMS(awsClientConfig())) as unknown as KmsClientSupplier;
const strict = (generatorKeyId: string, keyIds: string[] = []) => new KmsKeyringNode({ generatorKeyId, keyIds, clientProvider });
const discovery = () => new KmsKeyringNode({ discovery: true, clientProvider });
const SUITES = {
  committing: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
  'committing-signed': AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
} as const;

let keyA = '';
let keyB = '';
beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createKmsKey(), createKmsKey()]);
});
const kms = (keyId: string, decryptKeyIds?: string[]) =>
  new KmsKeyProvider({ keyId, client: kmsClient(), ...(decryptKeyIds ? { decryptKeyIds } : {}) });

describe('ESDK messages with @aws-crypto/client-node through KMS', () => {
  for (const algorithmSuite of ['committing', 'committing-signed'] as const) {
    for (const size of [0, 1, 4095, 4096, 4097, 1024 * 1024]) {
      const context = size % 2 === 0 ? {} : { tenant: 'clinic-a' };
      it(`${algorithmSuite}, ${size} B: strict and discovery keyrings read phiseal; phiseal reads the SDK`, async () => {
        const plaintext = randomBytes(size);
        const ours = await createEnvelope({ keys: kms(keyA), algorithmSuite }).encrypt(plaintext, { context });
        for (const keyring of [strict(keyA), discovery()]) {
          const read = await sdk.decrypt(keyring, ours);
          expect(Buffer.from(read.plaintext).equals(plaintext)).toBe(true);
          expect(read.messageHeader.encryptedDataKeys[0]).toMatchObject({ providerId: 'aws-kms', providerInfo: keyA });
        }
        const theirs = await sdk.encrypt(strict(keyA), plaintext, { encryptionContext: context, suiteId: SUITES[algorithmSuite] });
        const out = await createEnvelope({ keys: kms(keyA) }).decrypt(theirs.result, { context });
        expect(Buffer.from(out.plaintext).equals(plaintext)).toBe(true);
        expect(out.keyId).toBe(keyA);
      });
    }
  }

  it('multi-EDK both ways: one EDK per KMS key, either key reads', async () => {
    const ours = await createEnvelope({ keys: new MultiKeyProvider([kms(keyA), kms(keyB)]) }).encrypt('two keys', { context: { a: 'b' } });
    const read = await sdk.decrypt(strict(keyB), ours);
    expect(Buffer.from(read.plaintext).toString()).toBe('two keys');
    expect(read.messageHeader.encryptedDataKeys.map((e) => e.providerInfo)).toEqual([keyA, keyB]);
    const theirs = await sdk.encrypt(strict(keyA, [keyB]), Buffer.from('from sdk'));
    const out = await createEnvelope({ keys: kms(keyB) }).decrypt(theirs.result);
    expect(Buffer.from(out.plaintext).toString()).toBe('from sdk');
    expect(out.keyId).toBe(keyB);
  });

  it('refuses a wrong context, a key outside decryptKeyIds and more EDKs than maxWrappedKeys', async () => {
    const theirs = await sdk.encrypt(strict(keyA, [keyB]), Buffer.from('x'), { encryptionContext: { tenant: 'a' } });
    const reader = createEnvelope({ keys: kms(keyA) });
    await expect(reader.decrypt(theirs.result, { context: { tenant: 'b' } })).rejects.toMatchObject({ code: 'CONTEXT_MISMATCH' });
    const other = await createKmsKey();
    await expect(createEnvelope({ keys: kms(other) }).decrypt(theirs.result)).rejects.toMatchObject({ code: 'KEY_NOT_ALLOWED' });
    await expect(createEnvelope({ keys: kms(keyA), maxWrappedKeys: 1 }).decrypt(theirs.result)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    // Reserved context keys are the SDK's; a caller may not set them.
    await expect(reader.encrypt('x', { context: { 'aws-crypto-public-key': 'AAAA' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a signed message whose signature or public key was altered', async () => {
    const theirs = Buffer.from((await sdk.encrypt(strict(keyA), Buffer.from('signed'), { suiteId: SUITES['committing-signed'] })).result);
    const reader = createEnvelope({ keys: kms(keyA) });
    expect(Buffer.from((await reader.decrypt(theirs)).plaintext).toString()).toBe('signed');
    const badSignature = Buffer.from(theirs);
    badSignature[badSignature.length - 5]! ^= 0x10;
    await expect(reader.decrypt(badSignature)).rejects.toMatchObject({ code: expect.stringMatching(/^(DECRYPTION_FAILED|MALFORMED_CIPHERTEXT)$/) });
    // Swap the public key for another valid point: KMS refuses the data key (its context changed).
    const header = (await sdk.decrypt(strict(keyA), theirs)).messageHeader;
    const publicKey = header.encryptionContext['aws-crypto-public-key']!;
    const at = theirs.indexOf(Buffer.from(publicKey));
    const altered = Buffer.from(theirs);
    altered.write(publicKey[0] === 'A' ? 'B' : 'A', at);
    await expect(reader.decrypt(altered)).rejects.toMatchObject({ code: expect.stringMatching(/^(DECRYPTION_FAILED|MALFORMED_CIPHERTEXT)$/) });
  });
});
