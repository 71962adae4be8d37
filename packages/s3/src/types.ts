import type {
  DeleteObjectCommandOutput,
  GetObjectCommandOutput,
  PutObjectCommandInput,
  PutObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Envelope, PlaintextPolicy } from '@phiseal/core';
import type { BodyInput } from './internal/body-input.js';
import type { ProgressEvent } from './internal/decrypt-stream.js';
import type { DecryptedBody } from './internal/sdk-stream-body.js';
import type { PASSED_FIELDS } from './internal/write-request.js';

/**
 * The on-object format written. `v3` (default): key-committing ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY
 * (suite 115), as written by the S3 Encryption Client for Java v4, Python v4, Go v4 and .NET v4.
 * `v2`: AES/GCM/NoPadding with `kms+context`, readable by every S3EC since v2 (not key-committing).
 *
 * @example
 * ```ts
 * const legacyReaders = encryptedS3({ client, envelope, format: 'v2' });
 * ```
 */
export type S3Format = 'v3' | 'v2';

/**
 * What may be written and read (spec key-commitment.md#commitment-policy).
 * - `require-encrypt-require-decrypt` (default with V3): write V3, read only V3.
 * - `require-encrypt-allow-decrypt`: write V3, read V3 and V2 (migration).
 * - `forbid-encrypt-allow-decrypt` (default with `format: 'v2'`): write V2, read both.
 *
 * @example
 * ```ts
 * const migrating = encryptedS3({ client, envelope, commitmentPolicy: 'require-encrypt-allow-decrypt' });
 * ```
 */
export type CommitmentPolicy =
  | 'require-encrypt-require-decrypt'
  | 'require-encrypt-allow-decrypt'
  | 'forbid-encrypt-allow-decrypt';

/**
 * Options of {@link encryptedS3}.
 *
 * @example
 * ```ts
 * const s3 = encryptedS3({ client: new S3Client({}), envelope, instructionFile: true, partSize: 16 * 1024 * 1024 });
 * ```
 */
export type EncryptedS3Config = {
  /** The caller's S3 client (its endpoint must be https unless loopback). */
  client: S3Client;
  /** Key provider, data-key cache, guard and audit sink. Only `aws-kms` wrapped objects interoperate with the official clients. */
  envelope: Envelope;
  /** Format written; default `v3`. */
  format?: S3Format;
  /** Default `require-encrypt-require-decrypt` for V3 and `forbid-encrypt-allow-decrypt` for V2. */
  commitmentPolicy?: CommitmentPolicy;
  /** Largest plaintext released only after its tag verifies; default 64 MiB. */
  bufferLimitBytes?: number;
  /**
   * Release plaintext before the tag is verified, for objects over `bufferLimitBytes`. The
   * stream errors at its end on a bad tag, but bytes already released may be forged. Default false.
   */
  delayedAuthentication?: boolean;
  /** Write content metadata to `<key>.instruction` instead of object metadata; default false. */
  instructionFile?: boolean;
  /** Plaintext bytes per multipart part of `upload`; default 8 MiB, at least 5 MiB. */
  partSize?: number;
  /**
   * Parts uploaded concurrently by `upload`; default 2. Part buffers are reused: `upload` holds
   * (queueSize + 1) x partSize bytes of them, whatever the object size.
   */
  queueSize?: number;
  /** Allow `Range` on `getObject`: decrypted with AES-CTR and NOT authenticated. Default false. */
  unauthenticatedRangedReads?: boolean;
  /**
   * The switch-over stage for a bucket that already holds plaintext objects:
   * `'write-plaintext'` writes in-memory bodies as plaintext (still guarded; stream bodies are
   * refused) and reads both, `'write-encrypted'` (alias `'read-both'`) writes encrypted and
   * reads both, `'encrypted-only'` (default) refuses a plaintext object with
   * `PLAINTEXT_REFUSED`. Plaintext = no S3EC mapkey and no instruction file; an object with
   * some but not all of its content metadata is refused in every stage. See docs/switch-over.md.
   */
  plaintextPolicy?: PlaintextPolicy;
};

/**
 * Request of {@link EncryptedS3.putObject}.
 *
 * @example
 * ```ts
 * await s3.putObject({ Bucket: 'records', Key: 'a/1.json', Body: '{}', Metadata: { kind: 'visit' }, context: { tenant: 't1' } });
 * ```
 */
export type PutObjectInput = Partial<Pick<PutObjectCommandInput, (typeof PASSED_FIELDS)[number]>> & {
  Bucket: string;
  Key: string;
  /** Plaintext; a stream is sent through {@link EncryptedS3.upload}. */
  Body?: BodyInput;
  /** User metadata (in the clear on S3; checked for PHI). Keys starting with `x-amz-` are reserved. */
  Metadata?: Record<string, string>;
  /** URL-encoded tag set `k=v&k2=v2` (in the clear; checked for PHI). */
  Tagging?: string;
  ContentType?: string;
  /** Its filename is checked for PHI. */
  ContentDisposition?: string;
  CacheControl?: string;
  /** Encryption context: sent to KMS and stored in the clear with the object. Never PHI. */
  context?: Record<string, string>;
  /** Overrides the client's `instructionFile` for this object. */
  instructionFile?: boolean;
};

/**
 * Request of {@link EncryptedS3.upload}.
 *
 * @example
 * ```ts
 * await s3.upload({ Bucket: 'scans', Key: 's/1.dcm', Body: createReadStream(path), onProgress: (p) => console.log(p.loadedBytes) });
 * ```
 */
export type UploadInput = PutObjectInput & {
  /** Called after each part is stored, with plaintext bytes done (and the total when known). */
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the upload; parts already sent are aborted. */
  abortSignal?: AbortSignal;
};

/**
 * What {@link EncryptedS3.upload} returns.
 *
 * @example
 * ```ts
 * const { parts, bytes } = await s3.upload({ Bucket: 'scans', Key: 's/1.dcm', Body: stream });
 * ```
 */
export type UploadOutput = {
  Bucket: string;
  Key: string;
  ETag?: string;
  VersionId?: string;
  /** Parts used (1 when the object fit in one part and was stored with a single PutObject). */
  parts: number;
  /** Plaintext bytes stored. */
  bytes: number;
};

/**
 * Request of {@link EncryptedS3.getObject}.
 *
 * @example
 * ```ts
 * const out = await s3.getObject({ Bucket: 'records', Key: 'a/1.json', context: { tenant: 't1' } });
 * ```
 */
export type GetObjectInput = {
  Bucket: string;
  Key: string;
  VersionId?: string;
  /** `bytes=a-b` or `bytes=a-`; requires `unauthenticatedRangedReads`. */
  Range?: string;
  /** Must equal the stored context exactly (the official clients' rule). */
  context?: Record<string, string>;
  /** Default `.instruction`. */
  instructionFileSuffix?: string;
  /** Overrides the client's `delayedAuthentication` for this read. */
  delayedAuthentication?: boolean;
  /** Called as plaintext is released, with bytes done and the plaintext total. */
  onProgress?: (event: ProgressEvent) => void;
};

/**
 * Input of {@link EncryptedS3.readContext}.
 *
 * @example
 * ```ts
 * import type { ReadContextInput } from '@phiseal/s3';
 * const input: ReadContextInput = { Bucket: 'records', Key: 'a/1.json', instructionFileSuffix: '.instruction' };
 * const context = await s3.readContext(input); // the stored encryption context, without decrypting
 * ```
 */
export type ReadContextInput = {
  Bucket: string;
  Key: string;
  VersionId?: string;
  /** Default `.instruction`. */
  instructionFileSuffix?: string;
};

/**
 * What {@link EncryptedS3.getObject} returns: the S3 output with a decrypted `Body`.
 *
 * @example
 * ```ts
 * const { Body, format, ContentLength } = await s3.getObject({ Bucket: 'records', Key: 'a/1.json' });
 * const bytes = await Body.transformToByteArray();
 * ```
 */
export type GetObjectOutput = Omit<GetObjectCommandOutput, 'Body'> & {
  Body: DecryptedBody;
  /** The object's format; `'plaintext'` for a plaintext object read under a reading `plaintextPolicy`. */
  format: S3Format | 'plaintext';
};

/**
 * Request of {@link EncryptedS3.deleteObject}.
 *
 * @example
 * ```ts
 * await s3.deleteObject({ Bucket: 'records', Key: 'a/1.json' });
 * ```
 */
export type DeleteObjectInput = { Bucket: string; Key: string; VersionId?: string };

/**
 * An S3 Encryption Client-compatible view of an S3 client. Made by {@link encryptedS3}.
 *
 * @example
 * ```ts
 * const s3: EncryptedS3 = encryptedS3({ client, envelope });
 * await s3.putObject({ Bucket: 'b', Key: 'k', Body: 'x' });
 * ```
 */
export type EncryptedS3 = {
  /**
   * Encrypts and stores an object (a stream body goes through {@link EncryptedS3.upload}).
   * @throws {@link PhisealError} `PHI_DETECTED`, `INVALID_ARGUMENT`, `KMS_UNAVAILABLE`, `AWS_REQUEST_FAILED`.
   */
  putObject(input: PutObjectInput): Promise<PutObjectCommandOutput | UploadOutput>;
  /**
   * Fetches and decrypts an object; `Body` is a stream.
   * @throws {@link PhisealError} `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`,
   * `COMMITMENT_POLICY_VIOLATION`, `LIMIT_EXCEEDED`, `UNSUPPORTED_OPERATION`, `AWS_REQUEST_FAILED`.
   */
  getObject(input: GetObjectInput): Promise<GetObjectOutput>;
  /**
   * Encrypts a stream of any length in constant memory through multipart upload.
   * @throws {@link PhisealError} as `putObject`, plus `LIMIT_EXCEEDED`; a failed upload is aborted.
   */
  upload(input: UploadInput): Promise<UploadOutput>;
  /**
   * Deletes an object and its instruction file (a delete of one `VersionId` leaves the instruction file, which belongs to the current version).
   * @throws {@link PhisealError} `PHI_DETECTED`, `INVALID_ARGUMENT`, `AWS_REQUEST_FAILED`.
   */
  deleteObject(input: DeleteObjectInput): Promise<DeleteObjectCommandOutput>;
  /**
   * The encryption context stored with an object (reserved format entries removed), for a
   * reader that must learn it before calling {@link EncryptedS3.getObject} with it. Stored in
   * the clear and unauthenticated until that read succeeds. Reads metadata or the instruction
   * file with the same limits as a read (instruction files over 64 KiB are refused unread).
   *
   * @example
   * ```ts
   * const context = await s3.readContext({ Bucket: 'records', Key: 'a/1.json' });
   * if (context.tenant !== 't1') throw new Error('wrong tenant');
   * const out = await s3.getObject({ Bucket: 'records', Key: 'a/1.json', context });
   * ```
   * @throws {@link PhisealError} `MALFORMED_CIPHERTEXT`, `UNSUPPORTED_OPERATION`, `INVALID_ARGUMENT`,
   * `PHI_DETECTED`, `AWS_REQUEST_FAILED`.
   */
  readContext(input: ReadContextInput): Promise<Record<string, string>>;
  /** The format written. */
  readonly format: S3Format;
  /** The commitment policy in force. */
  readonly commitmentPolicy: CommitmentPolicy;
};

export type { BodyInput, DecryptedBody, ProgressEvent };
