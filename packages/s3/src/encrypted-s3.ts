import { enforceSecureTransport } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';
import { DEFAULT_BUFFER_LIMIT, DEFAULT_PART_SIZE, MIN_PART_SIZE } from './internal/constants.js';
import { deleteObject } from './internal/delete-object.js';
import { getObject } from './internal/get-object.js';
import { checkWritePolicy } from './internal/materials.js';
import { putObject } from './internal/put-object.js';
import { readContext } from './internal/read-context.js';
import type { S3Context } from './internal/s3-context.js';
import { useUnsignedPayload } from './internal/unsigned-payload.js';
import { upload } from './internal/upload.js';
import type { CommitmentPolicy, EncryptedS3, EncryptedS3Config, S3Format } from './types.js';

const POLICIES: readonly CommitmentPolicy[] = [
  'require-encrypt-require-decrypt',
  'require-encrypt-allow-decrypt',
  'forbid-encrypt-allow-decrypt',
];
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

function invalid(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

function integerIn(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max}.`);
  return value;
}

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
  if (typeof config !== 'object' || config === null) throw invalid('encryptedS3 needs a configuration object.');
  const { client, envelope } = config;
  if (!client || typeof client.send !== 'function') throw invalid('encryptedS3 needs an S3Client in `client`.');
  if (!envelope || typeof envelope.dataKey !== 'function') throw invalid('encryptedS3 needs an envelope from createEnvelope().');
  const format: S3Format = config.format ?? 'v3';
  if (format !== 'v3' && format !== 'v2') throw invalid("format must be 'v3' or 'v2'.");
  const commitmentPolicy: CommitmentPolicy =
    config.commitmentPolicy ?? (format === 'v3' ? 'require-encrypt-require-decrypt' : 'forbid-encrypt-allow-decrypt');
  if (!POLICIES.includes(commitmentPolicy)) throw invalid(`commitmentPolicy must be one of ${POLICIES.join(', ')}.`);
  checkWritePolicy(commitmentPolicy, format);
  enforceSecureTransport(client, 's3');
  useUnsignedPayload(client);

  const ctx: S3Context = {
    client,
    envelope,
    format,
    commitmentPolicy,
    bufferLimitBytes: integerIn('bufferLimitBytes', config.bufferLimitBytes, DEFAULT_BUFFER_LIMIT, 0, 2 ** 31 - 1),
    delayedAuthentication: config.delayedAuthentication === true,
    instructionFile: config.instructionFile === true,
    partSize: integerIn('partSize', config.partSize, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE),
    queueSize: integerIn('queueSize', config.queueSize, 2, 1, 64),
    unauthenticatedRangedReads: config.unauthenticatedRangedReads === true,
  };
  return {
    putObject: (input) => putObject(ctx, input),
    getObject: (input) => getObject(ctx, input),
    upload: (input) => upload(ctx, input),
    deleteObject: (input) => deleteObject(ctx, input),
    readContext: (input) => readContext(ctx, input),
    format,
    commitmentPolicy,
  };
}
