import type { TransformCallback } from 'node:stream';
import { PhisealError } from '@phiseal/guard';

// What every phiseal Transform (ESDK and compact, encrypt and decrypt) does with a chunk and
// with its callback.

/**
 * Runs one transform or flush step, sync or async, and ends it through `callback`: once, and
 * always with an Error (a thrown non-Error becomes INVALID_ARGUMENT), so the stream fails cleanly.
 */
export function runStep(work: () => Promise<void> | void, callback: TransformCallback): void {
  Promise.resolve()
    .then(work)
    .then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new PhisealError('INVALID_ARGUMENT', String(error))),
    );
}

/** A written chunk as bytes (a string as UTF-8), without copying. */
export function chunkBytes(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new PhisealError('INVALID_ARGUMENT', 'stream chunks must be strings or bytes');
}
