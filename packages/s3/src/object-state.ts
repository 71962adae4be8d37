import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PhisealError, type RecordState } from '@phiseal/core';
import { INSTRUCTION_FILE_SUFFIX } from './internal/constants.js';
import { awsRequestFailed } from './internal/errors.js';
import { findInstructionFile } from './internal/instruction-file-store.js';
import { mergeInstructionFile, parseInstructionFile } from './internal/instruction-file.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from './internal/metadata-decode.js';

// Record-state classification of S3 objects for the switch-over (docs/switch-over.md) and
// for bulk migration: from the S3 Encryption Client markers alone, never a key or KMS call.

const encoder = new TextEncoder();

// HeadObject/GetObject return user metadata without 'x-amz-meta-'; raw header maps have it.
function entriesOf(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const k = key.toLowerCase();
    plain[k.startsWith('x-amz-meta-') ? k.slice('x-amz-meta-'.length) : k] = value;
  }
  return s3ecEntries(plain);
}

/**
 * Whether an object's metadata lacks the S3EC data key (`x-amz-key-v2`, `x-amz-3`,
 * `x-amz-key`), so that its state depends on its instruction file (`<key>.instruction`):
 * then {@link objectState} needs that file's body, or `null` when it does not exist.
 *
 * @throws never
 * @example
 * ```ts
 * if (instructionFileNeeded(head.Metadata)) instruction = await fetchInstructionFileOrNull();
 * ```
 */
export function instructionFileNeeded(metadata: Readonly<Record<string, string>> | undefined): boolean {
  return needsInstructionFile(entriesOf(metadata));
}

/**
 * What a stored S3 object is, from its S3 Encryption Client markers (no key, no KMS call):
 * `'plaintext'` only when its metadata holds no S3EC mapkey (V2: `x-amz-key-v2`, `x-amz-iv`,
 * `x-amz-cek-alg`, `x-amz-wrap-alg`, `x-amz-tag-len`, `x-amz-matdesc`,
 * `x-amz-unencrypted-content-length`; V3: `x-amz-c`, `x-amz-3`, `x-amz-m`, `x-amz-t`,
 * `x-amz-w`, `x-amz-d`, `x-amz-i`; V1 `x-amz-key`; the instruction-file marker) and it has
 * no instruction file; `'encrypted'` when the content metadata (object metadata merged with
 * the instruction file, as the official clients do) is complete and consistent (a legacy V1
 * or CBC object counts as encrypted: reading it is refused with `UNSUPPORTED_OPERATION`);
 * `'tampered'` otherwise (some mapkeys, mixed formats, a missing or invalid instruction file).
 *
 * `metadata` is `HeadObject`/`GetObject`'s `Metadata` (keys with or without `x-amz-meta-`,
 * any case). `instructionFile` is the body of `<key>.instruction`, or `null` when it does
 * not exist; it is read only when {@link instructionFileNeeded}.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` when the instruction file is needed and
 * `instructionFile` is `undefined` (not looked up): an object is never guessed to be plaintext.
 * @example
 * ```ts
 * import { objectState } from '@phiseal/s3';
 * objectState({ 'content-kind': 'visit' }, null); // 'plaintext'
 * objectState({ 'x-amz-c': '115' }, null);         // 'tampered' (V3 without its data key or instruction file)
 * ```
 */
export function objectState(
  metadata: Readonly<Record<string, string>> | undefined,
  instructionFile: Uint8Array | string | null,
): RecordState {
  let entries = entriesOf(metadata);
  if (needsInstructionFile(entries)) {
    if (instructionFile === undefined) {
      throw new PhisealError('INVALID_ARGUMENT', 'objectState needs the instruction file body (or null when it does not exist) for an object without an S3EC data key.');
    }
    if (instructionFile === null) return Object.keys(entries).length === 0 ? 'plaintext' : 'tampered';
    try {
      const body = typeof instructionFile === 'string' ? encoder.encode(instructionFile) : instructionFile;
      entries = mergeInstructionFile(parseInstructionFile(body), entries);
    } catch {
      return 'tampered';
    }
  }
  try {
    decodeContentMetadata(entries);
    return 'encrypted';
  } catch (error) {
    return PhisealError.is(error) && error.code === 'UNSUPPORTED_OPERATION' ? 'encrypted' : 'tampered';
  }
}

/**
 * {@link objectState} of a stored object: `HeadObject` (skipped when `metadata` is given,
 * e.g. from a GetObject already made), then `GetObject` of its instruction file only when
 * {@link instructionFileNeeded} — so telling a plaintext object from an instruction-file
 * one costs one extra (404) request.
 *
 * @throws {@link PhisealError} `AWS_REQUEST_FAILED` (no answer); S3's own errors (NoSuchKey,
 * AccessDenied…) as the SDK's objects.
 * @example
 * ```ts
 * const state = await objectStateOf(s3Client, { Bucket: 'records', Key: 'a/1.json' });
 * ```
 */
export async function objectStateOf(
  client: S3Client,
  input: { Bucket: string; Key: string; VersionId?: string; instructionFileSuffix?: string; metadata?: Record<string, string> },
): Promise<RecordState> {
  let metadata = input.metadata;
  if (metadata === undefined) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: input.Bucket, Key: input.Key, ...(input.VersionId === undefined ? {} : { VersionId: input.VersionId }) }));
      metadata = head.Metadata ?? {};
    } catch (error) {
      throw awsRequestFailed('HeadObject', error);
    }
  }
  if (!instructionFileNeeded(metadata)) return objectState(metadata, null);
  const file = await findInstructionFile({ client }, input.Bucket, input.Key + (input.instructionFileSuffix ?? INSTRUCTION_FILE_SUFFIX));
  return objectState(metadata, file);
}
