// Shared fixtures of the S3 integration tests: a bucket and a KMS key on the emulator,
// and phiseal clients over them.
import { createEnvelope, KmsKeyProvider, type Envelope } from '@phiseal/core';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';
import { encryptedS3 } from '@phiseal/s3';
import type { EncryptedS3, EncryptedS3Config } from '@phiseal/s3';

export type Fixture = { bucket: string; keyArn: string; envelope: Envelope; s3: (options?: Partial<EncryptedS3Config>) => EncryptedS3 };

export async function fixture(): Promise<Fixture> {
  const [bucket, keyArn] = await Promise.all([createBucket(), createKmsKey('phiseal s3 tests')]);
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }) });
  return {
    bucket,
    keyArn,
    envelope,
    s3: (options = {}) => encryptedS3({ client: s3Client(), envelope, ...options }),
  };
}

/** True when `key` exists in the fixture's bucket (a HEAD through a plain client: what S3 holds, not what phiseal reads). */
export function objectExists(f: Fixture, key: string): Promise<boolean> {
  return s3Client()
    .send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );
}

/** The plaintext of `key` in the fixture's bucket, read back through phiseal. */
export async function readBack(f: Fixture, key: string): Promise<Buffer> {
  const out = await f.s3().getObject({ Bucket: f.bucket, Key: key });
  return Buffer.from(await out.Body.transformToByteArray());
}

export { pattern, rejection } from '@phiseal/test-support';
