// Shared fixtures of the S3 integration tests: a bucket and a KMS key on the emulator,
// and phiseal clients over them.
import { createEnvelope, KmsKeyProvider, type Envelope } from '@phiseal/core';
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

/** Deterministic non-trivial bytes. */
export function pattern(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Resolves to the rejection of a promise (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<{ code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a rejection');
}
