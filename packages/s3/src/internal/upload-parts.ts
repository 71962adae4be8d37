import { UploadPartCommand, type CompletedPart } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import type { ProgressEvent } from './decrypt-stream.js';
import { MAX_GCM_PLAINTEXT_BYTES, MAX_PARTS } from './constants.js';
import { awsRequestFailed, tooLargeForGcm } from './errors.js';
import type { EncryptedPart } from './part-encryptor.js';
import { abortReason, type UploadRun } from './upload-run.js';

/** The parts S3 accepted, sorted by number, and the plaintext they hold. */
export type SentParts = { completed: CompletedPart[]; count: number; plainBytes: number };

/** Progress of an upload: the callback (already made safe) and the body's length when known. */
export type UploadProgress = { onProgress: ((event: ProgressEvent) => void) | undefined; totalBytes: number | undefined };

/**
 * Sends the parts of a multipart upload as the encryptor yields them, starting with `first`.
 * Up to `queueSize` parts are in flight: the encryptor has `queueSize + 1` buffers, so asking
 * for the next part waits for a free one (the backpressure). The first failure stops the
 * sending; every part in flight settles before this returns or throws, so that none lands
 * after an abort.
 * @throws the caller's abort reason; `LIMIT_EXCEEDED` past MAX_PARTS or the GCM limit; the first UploadPart failure.
 */
export async function sendParts(run: UploadRun, parts: AsyncIterator<EncryptedPart>, first: EncryptedPart, uploadId: string, progress: UploadProgress): Promise<SentParts> {
  const { ctx, checked: { bucket, key, passThrough }, signal, inFlight } = run;
  const partChecksum = passThrough.ChecksumAlgorithm === undefined ? {} : { ChecksumAlgorithm: passThrough.ChecksumAlgorithm };
  const completed: CompletedPart[] = [];
  let failure: Error | undefined;
  let loaded = 0;
  let total = 0;
  let partNumber = 0;
  let current: EncryptedPart | undefined = first;
  while (current) {
    const part = current;
    if (signal?.aborted || failure !== undefined) {
      part.release();
      break;
    }
    partNumber++;
    total += part.plainBytes;
    if (partNumber > MAX_PARTS) throw new PhisealError('LIMIT_EXCEEDED', `The object needs more than ${MAX_PARTS} parts; raise partSize.`);
    if (total > MAX_GCM_PLAINTEXT_BYTES) throw tooLargeForGcm();
    const n = partNumber;
    const sending = ctx.client
      .send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: part.data, ContentLength: part.data.length, ...partChecksum }),
        run.sendOptions,
      )
      .then(
        (out) => {
          completed.push({ PartNumber: n, ETag: out.ETag });
          loaded += part.plainBytes;
          progress.onProgress?.(progress.totalBytes === undefined ? { loadedBytes: loaded } : { loadedBytes: loaded, totalBytes: progress.totalBytes });
        },
        (error: unknown) => {
          failure ??= awsRequestFailed('UploadPart', error);
        },
      )
      .finally(part.release);
    const tracked: Promise<void> = sending.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (part.last) break;
    // Waits for a free buffer when queueSize parts are in flight: the backpressure.
    const next = await parts.next();
    current = next.done ? undefined : next.value;
  }
  await Promise.all(inFlight);
  if (signal?.aborted) throw abortReason(signal);
  if (failure !== undefined) throw failure;
  completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  return { completed, count: partNumber, plainBytes: total };
}
