import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import { auditS3 } from './audit.js';
import { destroyBody } from './body-input.js';
import { awsRequestFailed, leftBehind } from './errors.js';
import { removeInstructionFile } from './instruction-file-store.js';
import { abortReason, type UploadRun } from './upload-run.js';

/**
 * Cleans up after a failed upload and returns the error to throw: the body is destroyed, the
 * parts in flight settle (so that none lands after the abort), the multipart upload is
 * aborted and the instruction file removed — unless the object may exist (an ambiguous
 * CompleteMultipartUpload), which needs its instruction file. A caller's cancellation
 * always surfaces as its abort reason.
 */
export async function failedUpload(run: UploadRun, caught: unknown): Promise<unknown> {
  const { ctx, checked, signal } = run;
  let error = signal?.aborted ? abortReason(signal) : caught;
  destroyBody(run.body, error);
  // Abort only after the parts in flight settle, so that none lands after the abort.
  await Promise.allSettled([...run.inFlight]);
  await run.parts?.return?.(undefined).catch(() => undefined);
  let unknown = PhisealError.is(error) && error.details['outcome'] === 'unknown';
  if (run.uploadId !== undefined) ({ error, unknown } = await abortUpload(run, run.uploadId, error, unknown));
  // After an ambiguous write the object may exist and needs its instruction file.
  if (run.instructionWritten && !unknown) await removeInstructionFile(ctx, checked.bucket, checked.key);
  auditS3(ctx.envelope, 's3.upload', checked.context, run.keyId, error);
  return error;
}

/**
 * Aborts the multipart upload. A successful abort settles an ambiguous Complete (it did not
 * complete); a failed one leaves parts behind, which the error then names.
 */
async function abortUpload(run: UploadRun, uploadId: string, error: unknown, unknown: boolean): Promise<{ error: unknown; unknown: boolean }> {
  const { ctx, checked, signal } = run;
  const { bucket, key } = checked;
  const abort = await ctx.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).then(
    () => 'aborted' as const,
    // NoSuchUpload: nothing is left (a lost CompleteMultipartUpload did complete).
    (failure: unknown) => ((failure as { name?: unknown } | null)?.name === 'NoSuchUpload' ? ('gone' as const) : ('failed' as const)),
  );
  if (abort === 'aborted' && unknown) {
    // A successful abort proves the lost CompleteMultipartUpload did not complete.
    return { error: awsRequestFailed('CompleteMultipartUpload', (error as PhisealError).cause), unknown: false };
  }
  if (abort === 'failed') {
    // No client can clean up now: say what is left (an AbortIncompleteMultipartUpload
    // lifecycle rule reclaims it). A caller's own abort keeps its AbortError.
    auditS3(ctx.envelope, 's3.uploadIncomplete', checked.context, run.keyId, error);
    if (!signal?.aborted) return { error: leftBehind(error, 'UploadPart', { incompleteUpload: { bucket, key, uploadId } }), unknown };
  }
  return { error, unknown };
}
