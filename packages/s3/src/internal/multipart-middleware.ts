import type { CipherGCM } from 'node:crypto';
import { UploadPartCommand, type CompletedPart } from '@aws-sdk/client-s3';
import { isAwsServiceError } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';
import type { PutObjectInput } from '../types.js';
import { auditS3 } from './audit.js';
import { bodyChunks } from './body-input.js';
import { MAX_GCM_PLAINTEXT_BYTES, MAX_PARTS, MIN_PART_SIZE } from './constants.js';
import { createContentCipher } from './content-cipher.js';
import { awsRequestFailed, invalidArgument, outcomeUnknown } from './errors.js';
import { putInstructionFile, removeInstructionFile } from './instruction-file-store.js';
import { writeMaterials } from './materials.js';
import { encodeContentMetadata, placeMetadata } from './metadata-encode.js';
import { turnstile, type Turnstile } from './part-turnstile.js';
import type { S3Context } from './s3-context.js';
import { checkWrite } from './write-request.js';

/** One multipart upload created through the middleware, between CreateMultipartUpload and Complete/Abort. */
type OpenUpload = {
  ctx: S3Context;
  bucket: string;
  key: string;
  context: Record<string, string>;
  keyId: string;
  cipher: CipherGCM;
  /** Instruction-file entries, written just before CompleteMultipartUpload (the old object stays readable until then). */
  instructionFile: Record<string, string> | undefined;
  checksumAlgorithm: unknown;
  turn: Turnstile;
  plainBytes: number;
  /** Ciphertext of the newest part: the last one gets the tag at Complete. */
  newest: { partNumber: number; data: Buffer } | undefined;
  sends: Set<Promise<unknown>>;
  touched: number;
};

export type Next = (args: { input: object }) => Promise<{ output: unknown }>;
/** Runs S3 calls of the module's own (re-upload of the last part, instruction file) past the middleware. */
export type Bypass = <T>(call: () => Promise<T>) => Promise<T>;

// An upload nobody completes or aborts (a crashed caller) is forgotten after an hour idle:
// its cipher state is dropped and S3's AbortIncompleteMultipartUpload rule reclaims the parts.
const IDLE_MS = 60 * 60 * 1000;
// Fields S3 applies to the whole object at Complete but that describe the plaintext.
const COMPLETE_REFUSED = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256', 'MpuObjectSize'];
const PART_REFUSED = ['ContentMD5', ...COMPLETE_REFUSED.slice(0, 5)];

function refused(command: string, field: string, why: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', `${command} field ${field} is refused on an encrypted bucket: ${why}`, { details: { command, field } });
}

function unknownUpload(command: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `${command} names a multipart upload this client did not create with withEncryption (another process, another client, or one idle for over an hour): its parts cannot be encrypted as one object. Abort it and start again through this client, or use encryptedS3().upload().`,
    { details: { command, reason: 'unknown-upload' } },
  );
}

function refuseFields(command: string, input: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    if (input[field] !== undefined) throw refused(command, field, 'it describes the plaintext, but S3 stores ciphertext (the SDK checksums the ciphertext itself).');
  }
}

async function plaintextOf(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bodyChunks(body)) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/**
 * Multipart uploads through the middleware (what `@aws-sdk/lib-storage`'s `Upload` sends for a
 * body above one part). The S3 Encryption Client format is one AES-GCM stream over the whole
 * object (spec client.md#optional-api-operations: "Each part MUST be encrypted in sequence"),
 * so parts are encrypted strictly in part-number order: an UploadPart that arrives before its
 * predecessor (Upload sends `queueSize` parts at once) waits until the predecessor is
 * encrypted — not uploaded — so uploads still overlap. Each ciphertext part has its plaintext's
 * length; at Complete the 16-byte tag goes after the last part: as an extra part when the last
 * part is at least S3's 5 MiB minimum, else by re-sending the last part with the tag appended
 * (its ciphertext is kept for that). Content metadata goes on CreateMultipartUpload (or in the
 * instruction file, written just before Complete). State is per UploadId and dropped on
 * Complete, Abort, or after an hour idle.
 */
export function multipartUploads(bypass: Bypass): {
  create: (ctx: S3Context, context: Record<string, string> | undefined, input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  uploadPart: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  complete: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  abort: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
} {
  const open = new Map<string, OpenUpload>();

  const sweep = (): void => {
    const now = Date.now();
    for (const [id, state] of open) {
      if (now - state.touched > IDLE_MS) forget(id, state);
    }
  };
  const forget = (id: string, state: OpenUpload): void => {
    open.delete(id);
    state.turn.fail(unknownUpload('UploadPart'));
    state.newest = undefined;
  };
  const find = (command: string, input: Record<string, unknown>): [string, OpenUpload] => {
    const id = input['UploadId'];
    const state = typeof id === 'string' ? open.get(id) : undefined;
    if (typeof id !== 'string' || state === undefined) throw unknownUpload(command);
    // An UploadId is only valid with its own bucket and key; refuse a mix-up before S3 does.
    if (input['Bucket'] !== state.bucket || input['Key'] !== state.key) throw unknownUpload(command);
    state.touched = Date.now();
    return [id, state];
  };

  return {
    async create(ctx, context, input, next) {
      sweep();
      const { ContentLength: _plainLength, ChecksumAlgorithm, ChecksumType, ...rest } = input;
      const checked = checkWrite(ctx, { ...(rest as PutObjectInput), ...(context === undefined ? {} : { context }) });
      let keyId = '';
      try {
        const materials = await writeMaterials(ctx.envelope, ctx.format, checked.context, undefined);
        keyId = materials.keyId;
        const cipher = createContentCipher(materials.content);
        materials.content.key.fill(0);
        const placed = placeMetadata(encodeContentMetadata(materials.meta), ctx.format, checked.useInstructionFile);
        const request: Record<string, unknown> = {
          Bucket: checked.bucket,
          Key: checked.key,
          Metadata: { ...checked.userMetadata, ...placed.objectMetadata },
          ...checked.passThrough,
        };
        if (ChecksumAlgorithm !== undefined) request['ChecksumAlgorithm'] = ChecksumAlgorithm;
        if (ChecksumType !== undefined) request['ChecksumType'] = ChecksumType;
        const result = await next({ input: request });
        const uploadId = (result.output as { UploadId?: unknown }).UploadId;
        if (typeof uploadId !== 'string' || uploadId === '') throw awsRequestFailed('CreateMultipartUpload', new Error('no UploadId'));
        open.set(uploadId, {
          ctx, bucket: checked.bucket, key: checked.key, context: checked.context, keyId, cipher,
          instructionFile: placed.instructionFile, checksumAlgorithm: ChecksumAlgorithm, turn: turnstile(),
          plainBytes: 0, newest: undefined, sends: new Set(), touched: Date.now(),
        });
        return result;
      } catch (error) {
        auditS3(ctx.envelope, 's3.upload', checked.context, keyId, error);
        throw error;
      }
    },

    async uploadPart(input, next) {
      const [, state] = find('UploadPart', input);
      refuseFields('UploadPart', input, PART_REFUSED);
      const partNumber = input['PartNumber'];
      if (typeof partNumber !== 'number' || !Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
        throw invalidArgument(`PartNumber must be an integer from 1 to ${MAX_PARTS}.`);
      }
      // Read the part before taking the turn, so that a slow body does not hold up the others' order.
      const plaintext = await plaintextOf(input['Body']);
      await state.turn.wait(partNumber);
      let data: Buffer;
      try {
        state.plainBytes += plaintext.length;
        if (state.plainBytes > MAX_GCM_PLAINTEXT_BYTES) throw new PhisealError('LIMIT_EXCEEDED', 'The object is larger than one AES-GCM message allows (about 64 GiB).');
        if (plaintext.length === 0) throw invalidArgument('An empty part cannot be encrypted into the object; leave it out.');
        data = state.cipher.update(plaintext);
        state.newest = { partNumber, data };
        state.turn.advance(partNumber);
      } catch (error) {
        state.turn.fail(error);
        throw error;
      }
      const { ContentLength: _plainLength, Body: _plain, ...rest } = input;
      const sending = next({ input: { ...rest, Body: data, ContentLength: data.length } });
      const settled = sending.catch(() => undefined).finally(() => state.sends.delete(settled));
      state.sends.add(settled);
      return sending;
    },

    async complete(input, next) {
      const [id, state] = find('CompleteMultipartUpload', input);
      refuseFields('CompleteMultipartUpload', input, COMPLETE_REFUSED);
      const { ctx, bucket, key } = state;
      let instructionWritten = false;
      try {
        const parts = await finalParts(state, input, bypass);
        // Complete once: a second Complete of the same id cannot re-run the cipher.
        open.delete(id);
        if (state.instructionFile) {
          await bypass(() => putInstructionFile(ctx, bucket, key, state.instructionFile ?? {}));
          instructionWritten = true;
        }
        const result = await completeOnce(next, { ...input, MultipartUpload: { Parts: parts } });
        auditS3(ctx.envelope, 's3.upload', state.context, state.keyId);
        return result;
      } catch (error) {
        const unknown = PhisealError.is(error) && error.details['outcome'] === 'unknown';
        if (instructionWritten && !unknown) await bypass(() => removeInstructionFile(ctx, bucket, key));
        auditS3(ctx.envelope, 's3.upload', state.context, state.keyId, error);
        throw error;
      }
    },

    async abort(input, next) {
      const id = input['UploadId'];
      const state = typeof id === 'string' ? open.get(id) : undefined;
      if (state !== undefined && typeof id === 'string') forget(id, state);
      return next({ input });
    },
  };
}

/**
 * Sends CompleteMultipartUpload. A service answer (InvalidPart, AccessDenied…) reaches the caller
 * as the SDK's object; no answer may mean the object was stored, so it is reported as
 * `outcome: 'unknown'` and the instruction file is kept.
 */
async function completeOnce(next: Next, input: Record<string, unknown>): Promise<{ output: unknown }> {
  return next({ input }).catch((error: unknown) => {
    throw isAwsServiceError(error) || PhisealError.is(error) ? error : outcomeUnknown('CompleteMultipartUpload', error);
  });
}

function partListError(): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    'CompleteMultipartUpload must list every part sent through this client, 1 to N, once each: the object is one encrypted stream and a missing or extra part would make it unreadable. Abort the upload and start again.',
    { details: { command: 'CompleteMultipartUpload', reason: 'part-list' } },
  );
}

/**
 * Checks the caller's part list against what was encrypted (exactly 1..N, N the newest part)
 * and puts the tag after part N; returns the part list to complete with.
 */
async function finalParts(state: OpenUpload, input: Record<string, unknown>, bypass: Bypass): Promise<CompletedPart[]> {
  const given = (input['MultipartUpload'] as { Parts?: unknown } | undefined)?.Parts;
  const newest = state.newest;
  if (!Array.isArray(given) || newest === undefined || given.length !== newest.partNumber || state.turn.failed()) throw partListError();
  const parts = (given as unknown[]).map((part) => ({ ...(part as CompletedPart) }));
  parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  if (parts.some((part, index) => part.PartNumber !== index + 1)) throw partListError();
  // Every part must have settled before the last one is replaced or followed.
  await Promise.all([...state.sends]);
  state.cipher.final();
  const tag = state.cipher.getAuthTag();
  const extra = newest.data.length >= MIN_PART_SIZE;
  const partNumber = extra ? newest.partNumber + 1 : newest.partNumber;
  if (partNumber > MAX_PARTS) throw new PhisealError('LIMIT_EXCEEDED', `The object needs more than ${MAX_PARTS} parts with its tag; use larger parts.`);
  const body = extra ? tag : Buffer.concat([newest.data, tag]);
  const command = new UploadPartCommand({
    Bucket: state.bucket, Key: state.key, UploadId: input['UploadId'] as string, PartNumber: partNumber, Body: body, ContentLength: body.length,
    ...(typeof state.checksumAlgorithm === 'string' ? { ChecksumAlgorithm: state.checksumAlgorithm as 'CRC32' } : {}),
    ...pick(input, ['ExpectedBucketOwner', 'RequestPayer']),
  });
  const out = await bypass(() => state.ctx.client.send(command)).catch((error: unknown) => Promise.reject(awsRequestFailed('UploadPart', error)));
  const entry: CompletedPart = { PartNumber: partNumber, ETag: out.ETag };
  for (const field of ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'] as const) {
    if (out[field] !== undefined) entry[field] = out[field];
  }
  if (extra) parts.push(entry);
  else parts[parts.length - 1] = entry;
  return parts;
}

function pick(input: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (input[field] !== undefined) out[field] = input[field];
  return out;
}
