import { resolveS3Context } from './internal/resolve-s3-context.js';
import { s3Operations } from './internal/s3-operations.js';
import type { EncryptedS3, EncryptedS3Config } from './types.js';

/**
 * Client-side encrypted S3 objects in the S3 Encryption Client format, readable and
 * writable by the official clients for Java, Python, Go and .NET: V3 (key-committing,
 * suite 115) by default, V2 on request. Data keys come from the envelope's key provider
 * and cache; the PHI guard runs over bucket, key, metadata, tags and Content-Disposition
 * before any request; a plain `http://` endpoint is refused unless it is loopback.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
 * import { encryptedS3 } from '@phiseal/s3';
 *
 * const s3 = encryptedS3({
 *   client: new S3Client({}),
 *   envelope: createEnvelope({ keys: new KmsKeyProvider({ keyId: 'alias/phi' }) }),
 * });
 * await s3.putObject({ Bucket: 'records', Key: 'visits/2024/0001.json', Body: json, context: { tenant: 'clinic-a' } });
 * const { Body } = await s3.getObject({ Bucket: 'records', Key: 'visits/2024/0001.json', context: { tenant: 'clinic-a' } });
 * const text = await Body.transformToString();
 * ```
 * @throws {@link PhisealError} `INSECURE_ENDPOINT` for a non-loopback http endpoint;
 * `INVALID_CONFIGURATION` for bad options; `COMMITMENT_POLICY_VIOLATION` when `format` and
 * `commitmentPolicy` conflict (for example V2 under a require-encrypt policy).
 */
export function encryptedS3(config: EncryptedS3Config): EncryptedS3 {
  return s3Operations(resolveS3Context(config));
}
