import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { invalidArgument } from './errors.js';

/**
 * Object bodies phiseal accepts: bytes, a string (UTF-8), a Node Readable or a web ReadableStream.
 *
 * @example
 * ```ts
 * const body: BodyInput = createReadStream(path);
 * ```
 */
export type BodyInput = Uint8Array | string | Readable | WebReadableStream<Uint8Array> | ReadableStream<Uint8Array>;

// The global ReadableStream type is only declared with the DOM lib; the structural
// check below covers both it and node:stream/web's.
type ReaderLike = { getReader: () => { read: () => Promise<{ done: boolean; value?: unknown }>; releaseLock: () => void; cancel: (reason?: unknown) => Promise<void> } };

/** True for in-memory bodies (their length is known up front). */
export function isBytesBody(body: unknown): body is Uint8Array | string {
  return typeof body === 'string' || body instanceof Uint8Array;
}

/** The body as bytes (for in-memory bodies). */
export function bodyBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function toChunk(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw invalidArgument('Body streams must yield Uint8Array (or string) chunks.');
}

async function* fromReader(stream: ReaderLike): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield toChunk(value);
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* fromReadable(stream: Readable): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield toChunk(chunk);
}

/** A byte stream (no object mode, no string decoding) already yields Buffers: no extra hop per chunk. */
function isByteStream(stream: Readable): boolean {
  return !stream.readableObjectMode && stream.readableEncoding === null;
}

/**
 * A body as an async sequence of byte chunks.
 * @throws PhisealError `INVALID_ARGUMENT` for anything else.
 */
export function bodyChunks(body: unknown): AsyncIterable<Uint8Array> {
  if (body === undefined || body === null) return fromArray([]);
  if (isBytesBody(body)) return fromArray([bodyBytes(body)]);
  if (body instanceof Readable) return isByteStream(body) ? (body as AsyncIterable<Uint8Array>) : fromReadable(body);
  if (typeof body === 'object' && typeof (body as Partial<ReaderLike>).getReader === 'function') {
    return fromReader(body as ReaderLike);
  }
  throw invalidArgument('Body must be a Uint8Array, a string, a Node Readable or a web ReadableStream.');
}

function fromArray(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => {
      const it = chunks[Symbol.iterator]();
      return { next: () => Promise.resolve(it.next()) };
    },
  };
}

/** Stops a caller's stream after a failure, so that its producer does not keep running. */
export function destroyBody(body: unknown, error: unknown): void {
  if (body instanceof Readable && !body.destroyed) body.destroy(error instanceof Error ? error : undefined);
}
