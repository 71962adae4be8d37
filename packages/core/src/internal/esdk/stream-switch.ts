// A decrypting stream that reads either format: it waits for the first two bytes, asks
// `choose` for the decryptor of that format (detect.ts) and hands every byte to it,
// passing its output and errors through. Backpressure: a chunk is acknowledged only once
// the inner stream accepted it.
import { Transform, type TransformCallback } from 'node:stream';
import { malformed } from '../failures.js';
import { chunkBytes } from '../transform-steps.js';

export function switchingTransform(choose: (head: Buffer) => Transform): Transform {
  let inner: Transform | undefined;
  let head = Buffer.alloc(0);
  let failure: Error | undefined;

  const feed = (outer: Transform, bytes: Buffer, callback: TransformCallback): void => {
    if (!inner) {
      head = Buffer.concat([head, bytes]);
      if (head.length < 2) return callback();
      try {
        inner = choose(head);
      } catch (error) {
        return callback(error as Error);
      }
      inner.on('data', (data: Buffer) => outer.push(data));
      inner.on('error', (error: Error) => {
        failure = error;
        outer.destroy(error);
      });
      bytes = head;
    }
    if (inner.write(bytes)) callback();
    else inner.once('drain', () => callback());
  };

  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      let bytes: Buffer;
      try {
        bytes = chunkBytes(chunk);
      } catch (error) {
        return callback(error as Error);
      }
      feed(this, bytes, callback);
    },
    flush(callback) {
      if (!inner) return callback(malformed());
      if (failure) return callback(failure);
      inner.once('end', () => callback());
      inner.end();
      inner.resume();
    },
    destroy(error, callback) {
      inner?.destroy();
      callback(error);
    },
  });
}
