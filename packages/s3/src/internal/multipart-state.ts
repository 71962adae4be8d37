import type { CipherGCM } from 'node:crypto';
import { PhisealError } from '@phiseal/guard';
import type { Turnstile } from './part-turnstile.js';
import type { S3Context } from './s3-context.js';

export type Next = (args: { input: object }) => Promise<{ output: unknown }>;
/** Runs S3 calls of the module's own (re-upload of the last part, instruction file) past the middleware. */
export type Bypass = <T>(call: () => Promise<T>) => Promise<T>;

/** One multipart upload created through the middleware, between CreateMultipartUpload and Complete/Abort. */
export type OpenUpload = {
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

/** The open uploads of one middleware, by UploadId. */
export type OpenUploads = Map<string, OpenUpload>;

// An upload nobody completes or aborts (a crashed caller) is forgotten after an hour idle:
// its cipher state is dropped and S3's AbortIncompleteMultipartUpload rule reclaims the parts.
const IDLE_MS = 60 * 60 * 1000;

export function unknownUpload(command: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `${command} names a multipart upload this client did not create with withEncryption (another process, another client, or one idle for over an hour): its parts cannot be encrypted as one object. Abort it and start again through this client, or use encryptedS3().upload().`,
    { details: { command, reason: 'unknown-upload' } },
  );
}

/** Forgets the uploads idle for over an hour. */
export function sweep(open: OpenUploads): void {
  const now = Date.now();
  for (const [id, state] of open) {
    if (now - state.touched > IDLE_MS) forget(open, id, state);
  }
}

/** Drops an upload's state; parts still waiting for their turn fail as unknown. */
export function forget(open: OpenUploads, id: string, state: OpenUpload): void {
  open.delete(id);
  state.turn.fail(unknownUpload('UploadPart'));
  state.newest = undefined;
}

/** The open upload a request names, refreshed; refused when unknown or named with another bucket or key. */
export function find(open: OpenUploads, command: string, input: Record<string, unknown>): [string, OpenUpload] {
  const id = input['UploadId'];
  const state = typeof id === 'string' ? open.get(id) : undefined;
  if (typeof id !== 'string' || state === undefined) throw unknownUpload(command);
  // An UploadId is only valid with its own bucket and key; refuse a mix-up before S3 does.
  if (input['Bucket'] !== state.bucket || input['Key'] !== state.key) throw unknownUpload(command);
  state.touched = Date.now();
  return [id, state];
}
