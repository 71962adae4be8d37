import { enforceSecureTransport, resolvePlaintextPolicy } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';
import type { CommitmentPolicy, EncryptedS3Config, S3Format } from '../types.js';
import { DEFAULT_BUFFER_LIMIT, DEFAULT_PART_SIZE, MIN_PART_SIZE } from './constants.js';
import { checkWritePolicy } from './materials.js';
import { ownClient } from './middleware-scope.js';
import type { S3Context } from './s3-context.js';
import { useUnsignedPayload } from './unsigned-payload.js';

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
 * Validates an {@link EncryptedS3Config} into the settings every operation shares (shared by
 * `encryptedS3` and the `withEncryption` middleware, which needs them for multipart uploads).
 * @throws PhisealError `INVALID_CONFIGURATION`, `INSECURE_ENDPOINT`, `COMMITMENT_POLICY_VIOLATION`.
 */
export function resolveS3Context(config: EncryptedS3Config): S3Context {
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

  return {
    // Its requests are phiseal's own, also on a client wrapped by withEncryption, whose
    // middleware lets them through instead of encrypting them again.
    client: ownClient(client),
    envelope,
    format,
    commitmentPolicy,
    bufferLimitBytes: integerIn('bufferLimitBytes', config.bufferLimitBytes, DEFAULT_BUFFER_LIMIT, 0, 2 ** 31 - 1),
    delayedAuthentication: config.delayedAuthentication === true,
    instructionFile: config.instructionFile === true,
    partSize: integerIn('partSize', config.partSize, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE),
    queueSize: integerIn('queueSize', config.queueSize, 2, 1, 64),
    unauthenticatedRangedReads: config.unauthenticatedRangedReads === true,
    plaintextPolicy: resolvePlaintextPolicy(config.plaintextPolicy),
  };
}
