import type { EncryptedPart } from './part-encryptor.js';
import type { S3Context } from './s3-context.js';
import type { CheckedWrite } from './write-request.js';

/**
 * One encrypted upload in progress: what its steps share, and what the clean-up after a
 * failure must know (the parts in flight, the multipart upload to abort, the instruction
 * file to remove, the key for the audit event).
 */
export type UploadRun = {
  ctx: S3Context;
  checked: CheckedWrite;
  body: unknown;
  signal: AbortSignal | undefined;
  /** Passed to every send but CompleteMultipartUpload and the clean-up's own requests. */
  sendOptions: { abortSignal?: AbortSignal };
  keyId: string;
  parts: AsyncIterator<EncryptedPart> | undefined;
  uploadId: string | undefined;
  instructionWritten: boolean;
  inFlight: Set<Promise<void>>;
};

/** Cancellation rejects with the signal's reason (an `AbortError` by default), as fetch and the AWS SDK do. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The upload was aborted.', 'AbortError');
}
