import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import { bucketMatcher } from './bucket-reference.js';
import { plaintextStreamRefused } from './internal/plaintext-object.js';
import { PASS_THROUGH, refusedCommand, refusedField } from './internal/middleware-commands.js';
import { isOwnRequest, ownRequest } from './internal/middleware-scope.js';
import { multipartUploads } from './internal/multipart-middleware.js';
import type { Next } from './internal/multipart-state.js';
import { resolveS3Context } from './internal/resolve-s3-context.js';
import { s3Operations } from './internal/s3-operations.js';
import type { S3Context } from './internal/s3-context.js';
import { PASSED_FIELDS } from './internal/write-request.js';
import type { EncryptedS3, EncryptedS3Config } from './types.js';

/**
 * How one bucket is encrypted by {@link withEncryption}: the options of {@link encryptedS3}
 * (without `client`), and the encryption context every object of the bucket is written and
 * read with.
 * @example
 * ```ts
 * const config: BucketEncryption = { envelope, context: { dataset: 'lab-results' } };
 * ```
 */
export type BucketEncryption = Omit<EncryptedS3Config, 'client'> & {
  /** Encryption context of every object (never PHI; stored in the clear). Default none. */
  context?: Record<string, string> | undefined;
};

/**
 * Options of {@link withEncryption}.
 * @example
 * ```ts
 * const options: S3EncryptionOptions = { buckets: { 'lab-results': { envelope } } };
 * ```
 */
export type S3EncryptionOptions = {
  /**
   * Encrypted buckets, keyed by bucket name or access point ARN (any spelling). Requests name
   * them by name, access point ARN or alias alike; an access point that is not configured is
   * refused (it may front a configured bucket). Other buckets pass through untouched.
   */
  readonly buckets: Readonly<Record<string, BucketEncryption>>;
};

// The SDK fields the explicit API carries; ContentMD5 and the like are refused there with a reason.
const PUT_FIELDS = new Set([
  'Bucket', 'Key', 'Body', 'Metadata', 'Tagging', 'ContentType', 'ContentDisposition', 'CacheControl', 'ContentLength',
  'ContentMD5', 'ContentEncoding', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256',
  ...PASSED_FIELDS,
]);
// Upload spreads its PutObject parameters into every multipart command; S3 ignores those the
// command does not define, and the object-wide ones were checked on CreateMultipartUpload.
const CREATE_FIELDS = new Set([...PUT_FIELDS, 'ChecksumAlgorithm', 'ChecksumType']);
const PART_FIELDS = new Set([...CREATE_FIELDS, 'UploadId', 'PartNumber']);
const COMPLETE_FIELDS = new Set([...CREATE_FIELDS, 'UploadId', 'MultipartUpload', 'IfMatch', 'IfNoneMatch', 'MpuObjectSize']);
const MULTIPART_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  CreateMultipartUploadCommand: CREATE_FIELDS,
  UploadPartCommand: PART_FIELDS,
  CompleteMultipartUploadCommand: COMPLETE_FIELDS,
};
const GET_FIELDS = new Set(['Bucket', 'Key', 'VersionId', 'Range']);
const DELETE_FIELDS = new Set(['Bucket', 'Key', 'VersionId']);

function onlyFields(command: string, input: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined && !allowed.has(field)) throw refusedField(command, field);
  }
}

type Encrypted = { s3: EncryptedS3; ctx: S3Context; context: Record<string, string> | undefined };

async function encryptedCommand(command: string, input: Record<string, unknown>, target: Encrypted): Promise<unknown> {
  const context = target.context === undefined ? {} : { context: target.context };
  switch (command) {
    case 'PutObjectCommand': {
      onlyFields(command, input, PUT_FIELDS);
      // ContentLength of the plaintext is not the stored length: phiseal sets its own.
      const { ContentLength: _plainLength, ...rest } = input;
      return target.s3.putObject({ ...(rest as Parameters<EncryptedS3['putObject']>[0]), ...context });
    }
    case 'GetObjectCommand':
      onlyFields(command, input, GET_FIELDS);
      return target.s3.getObject({ ...(input as Parameters<EncryptedS3['getObject']>[0]), ...context });
    case 'DeleteObjectCommand':
      onlyFields(command, input, DELETE_FIELDS);
      return target.s3.deleteObject(input as Parameters<EncryptedS3['deleteObject']>[0]);
    default:
      throw refusedCommand(command);
  }
}

function decodedOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function copySourceBucket(input: Record<string, unknown>): string | undefined {
  const source = input['CopySource'];
  if (typeof source !== 'string') return undefined;
  const raw = source.replace(/^\//, '').split('?')[0] ?? '';
  // Undecodable text stays as it is: a bucket segment with '%' in it is then no bucket name,
  // which the matcher refuses (it may still name a configured bucket), never a URIError.
  const path = decodedOrRaw(raw);
  // An access point source is `arn:...:accesspoint/name/object/key`.
  const ap = /^(arn:[^/]+\/[^/]+)\/object\//.exec(path);
  return ap ? ap[1] : path.split('/')[0];
}

type Handler = (args: { input: object }) => Promise<{ output: unknown }>;

const MULTIPART = new Set(['CreateMultipartUploadCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand', 'AbortMultipartUploadCommand']);

/**
 * Makes an existing `S3Client` encrypt objects of the configured buckets, keeping your code:
 * `PutObjectCommand` writes an S3 Encryption Client object (V3 by default, as {@link encryptedS3}),
 * `GetObjectCommand` returns the decrypted body, `DeleteObjectCommand` removes the instruction
 * file too. `@aws-sdk/lib-storage`'s `Upload` works at any size: its multipart commands
 * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload) write one
 * encrypted stream, parts encrypted in part-number order (concurrent parts wait for their
 * predecessor's encryption, not its upload; a part more than 30 s ahead of its predecessor
 * fails the upload), the tag after the last part. Bucket, key, metadata, tags and headers go
 * through the PHI guard first. Listing and head commands pass through; every other command on
 * an encrypted bucket (CopyObject, UploadPartCopy, SelectObjectContent, …) and any request
 * field phiseal does not carry is refused with `UNSUPPORTED_OPERATION` and a remedy, before
 * anything is sent. Ranged reads need the bucket's `unauthenticatedRangedReads`. Calling it
 * again replaces the bucket set (and forgets multipart uploads in progress).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (a key that is no bucket name or access
 * point ARN, bad options), `INSECURE_ENDPOINT`. Requests then throw as {@link encryptedS3}'s
 * methods, or `UNSUPPORTED_OPERATION`; AWS service errors reach you as the SDK's objects.
 * @example
 * ```ts
 * const s3 = withEncryption(new S3Client({}), { buckets: { 'lab-results': { envelope, context: { dataset: 'labs' } } } });
 * await s3.send(new PutObjectCommand({ Bucket: 'lab-results', Key: 'r/1.json', Body: json }));
 * const { Body } = await s3.send(new GetObjectCommand({ Bucket: 'lab-results', Key: 'r/1.json' }));
 * ```
 */
export function withEncryption<C extends S3Client>(client: C, options: S3EncryptionOptions): C {
  const buckets = options?.buckets;
  if (typeof buckets !== 'object' || buckets === null) throw new PhisealError('INVALID_CONFIGURATION', 'withEncryption needs { buckets }.');
  const targets = new Map<string, Encrypted>();
  for (const [key, config] of Object.entries(buckets)) {
    const { context, ...rest } = config ?? ({} as BucketEncryption);
    const ctx = resolveS3Context({ ...rest, client });
    targets.set(key, { s3: s3Operations(ctx), ctx, context });
  }
  const multipart = multipartUploads(ownRequest);
  const multipartCommand = async (command: string, target: Encrypted, input: Record<string, unknown>, next: Next): Promise<{ output: unknown }> => {
    const fields = MULTIPART_FIELDS[command];
    if (fields !== undefined) onlyFields(command, input, fields);
    if (command === 'CreateMultipartUploadCommand') {
      // Multipart writes here are always encrypted; a 'write-plaintext' writer must not write ciphertext that readers not yet on phiseal cannot read.
      if (target.ctx.plaintextPolicy === 'write-plaintext') throw plaintextStreamRefused();
      return multipart.create(target.ctx, target.context, input, next);
    }
    if (command === 'UploadPartCommand') return multipart.uploadPart(input, next);
    if (command === 'CompleteMultipartUploadCommand') return multipart.complete(input, next);
    return multipart.abort(input, next);
  };
  const matcher = bucketMatcher(targets.keys());
  const middleware = (next: Handler, context: { commandName?: string }): Handler => async (args) => {
    if (isOwnRequest()) return next(args);
    const command = context.commandName ?? '';
    const input = args.input as Record<string, unknown>;
    const key = matcher.find(input['Bucket']);
    const source = command === 'CopyObjectCommand' || command === 'UploadPartCopyCommand' ? matcher.find(copySourceBucket(input)) : undefined;
    if (key === undefined && source === undefined) return next(args);
    const target = key === undefined ? undefined : targets.get(key);
    if (target !== undefined && MULTIPART.has(command)) return multipartCommand(command, target, input, (a) => next({ ...args, ...a }));
    if (key === undefined || PASS_THROUGH.has(command) === false) {
      if (target === undefined || source !== undefined) throw refusedCommand(command);
      const output = await encryptedCommand(command, input, target);
      return { output };
    }
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'phisealS3Encryption', override: true });
  return client;
}
