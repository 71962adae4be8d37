// An S3 response body is a stream bound to a live connection. phiseal often holds one across
// an await (the instruction file, the KMS unwrap) before anything reads it; if the connection
// is cut meanwhile, the SDK's wrapper stream (ChecksumStream) emits 'error' with no listener,
// and Node kills the whole process (issue #17, defect 1). A body is therefore given an error
// listener the moment it arrives, and the error it records is raised where the body is read.

type NodeBody = AsyncIterable<Uint8Array> & {
  on?: (event: 'error', listener: (error: unknown) => void) => unknown;
  destroy?: (error?: Error) => unknown;
};

/** A response body that can be held across awaits: reading it raises any error it had meanwhile. */
export type HeldBody = AsyncIterable<Uint8Array> & {
  /** Releases the connection without reading (an error path, or a body that is not wanted). */
  discard(): void;
};

/**
 * Takes charge of a response body: from now on its errors are recorded, never unhandled.
 * Must be called in the same tick the response arrives (before any await).
 */
export function holdBody(body: NodeBody): HeldBody {
  let failure: unknown;
  let failed = false;
  // Kept for the life of the stream: an error after the reader is done must be swallowed too.
  body.on?.('error', (error: unknown) => {
    if (failed) return;
    failed = true;
    failure = error;
  });
  return {
    async *[Symbol.asyncIterator]() {
      if (failed) throw failure;
      for await (const chunk of body) yield chunk;
      // A destroyed stream can end an iteration quietly: a cut connection is still a failure.
      if (failed) throw failure;
    },
    discard: () => {
      body.destroy?.();
    },
  };
}
