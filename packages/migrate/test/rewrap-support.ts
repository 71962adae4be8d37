import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, PhisealError, type KeyProvider } from '@phiseal/core';
import { encryptedS3, type S3Format } from '@phiseal/s3';
import { createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';

// Shared by the rewrap tests: key providers, a writer and a reader per provider, and the
// stored bytes of an object (to show what a rotation changed and what it kept).

export const context = { dataset: 'labs' };

export function localKeys(name: string): LocalKeyProvider {
  return new LocalKeyProvider({ keyId: name, key: randomBytes(32) });
}

export async function kmsKeys(): Promise<{ arn: string; keys: KmsKeyProvider }> {
  const arn = await createKmsKey('rewrap test');
  return { arn, keys: new KmsKeyProvider({ keyId: arn, client: kmsClient() }) };
}

/**
 * Writes `body` at `key` with phiseal under `keys` (no data-key cache: each object gets its
 * own data key, as the official clients write them).
 */
export async function writeWith(keys: KeyProvider, bucket: string, key: string, body: string, options: { format?: S3Format; instructionFile?: boolean; extra?: Record<string, unknown> } = {}): Promise<void> {
  const envelope = createEnvelope({ keys, cache: false });
  const s3 = encryptedS3({ client: s3Client(), envelope, format: options.format ?? 'v3', instructionFile: options.instructionFile ?? false, commitmentPolicy: options.format === 'v2' ? 'forbid-encrypt-allow-decrypt' : 'require-encrypt-require-decrypt' });
  await s3.putObject({ Bucket: bucket, Key: key, Body: body, context, ...(options.extra ?? {}) });
}

/** The plaintext phiseal reads under `keys`, or the failure's code. */
export async function readWith(keys: KeyProvider, bucket: string, key: string): Promise<string> {
  const envelope = createEnvelope({ keys, cache: false });
  const s3 = encryptedS3({ client: s3Client(), envelope, commitmentPolicy: 'require-encrypt-allow-decrypt' });
  try {
    const out = await s3.getObject({ Bucket: bucket, Key: key, context });
    return Buffer.from(await out.Body.transformToByteArray()).toString();
  } catch (error) {
    if (PhisealError.is(error)) return `error:${error.code}`;
    throw error;
  }
}

/** The stored object as S3 has it: body bytes, user metadata, ETag. */
export async function rawObject(client: S3Client, bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string>; etag: string }> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata ?? {}, etag: out.ETag ?? '' };
}

export async function headOf(client: S3Client, bucket: string, key: string) {
  return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
}

/** `keys` with its wraps counted (and `onWrap` called after each): a real provider, observed. */
export function counted(keys: KeyProvider, onWrap: (count: number) => void = () => undefined): KeyProvider & { wraps: () => number; unwraps: () => number } {
  let wraps = 0;
  let unwraps = 0;
  return {
    id: keys.id,
    generate: (c) => keys.generate(c),
    wrap: async (k, c) => {
      const out = await keys.wrap(k, c);
      onWrap(++wraps);
      return out;
    },
    unwrap: (w, c) => {
      unwraps++;
      return keys.unwrap(w, c);
    },
    wraps: () => wraps,
    unwraps: () => unwraps,
  };
}
