import { Transform, type TransformCallback } from 'node:stream';
import { PhisealError } from '@phiseal/guard';
import { malformed } from './failures.js';
import { TAG_LENGTH } from './message-format.js';
import { MAX_FRAMES, openFrame, parseStreamHeader, sealFrame, type StreamHeader } from './stream-format.js';

export type StreamStart = { header: Buffer; key: Buffer };

function run(work: () => Promise<void> | void, callback: TransformCallback): void {
  Promise.resolve()
    .then(work)
    .then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new PhisealError('INVALID_ARGUMENT', String(error))),
    );
}

function chunkBytes(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new PhisealError('INVALID_ARGUMENT', 'stream chunks must be strings or bytes');
}

/** Encrypts a byte stream frame by frame; memory stays within about two frames. */
export function encryptingTransform(start: () => Promise<StreamStart>, frameLength: number): Transform {
  let state: StreamStart | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  const begin = async (self: Transform): Promise<StreamStart> => {
    if (!state) {
      state = await start();
      self.push(state.header);
    }
    return state;
  };
  const frame = (self: Transform, s: StreamStart, final: boolean, plaintext: Buffer): void => {
    if (index >= MAX_FRAMES) throw new PhisealError('LIMIT_EXCEEDED', 'A stream may hold at most 2^32 frames.');
    self.push(sealFrame(s.key, s.header, index++, final, plaintext));
  };
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      run(async () => {
        const s = await begin(this);
        pending = pending.length === 0 ? chunkBytes(chunk) : Buffer.concat([pending, chunkBytes(chunk)]);
        // A frame is sealed as non-final only once more data is known to follow it.
        while (pending.length > frameLength) {
          frame(this, s, false, pending.subarray(0, frameLength));
          pending = pending.subarray(frameLength);
        }
      }, callback);
    },
    flush(callback) {
      run(async () => {
        const s = await begin(this);
        frame(this, s, true, pending);
        pending = Buffer.alloc(0);
        s.key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      state?.key.fill(0);
      callback(error);
    },
  });
}

/**
 * Decrypts a stream, releasing each frame's plaintext only after its tag verifies. A cut
 * stream fails at its end: what was released before is authentic but incomplete, so
 * callers that need all-or-nothing write to a temporary place and commit on success.
 */
export function decryptingTransform(open: (header: StreamHeader) => Promise<Buffer>): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let header: StreamHeader | undefined;
  let key: Buffer | undefined;
  let index = 0;
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      run(async () => {
        buffered = buffered.length === 0 ? chunkBytes(chunk) : Buffer.concat([buffered, chunkBytes(chunk)]);
        if (!header) {
          header = parseStreamHeader(buffered);
          if (!header) return;
          buffered = buffered.subarray(header.header.length);
          key = await open(header);
        }
        const frameSize = header.frameLength + TAG_LENGTH;
        while (buffered.length > frameSize) {
          this.push(openFrame(key!, header.header, index++, false, buffered.subarray(0, frameSize)));
          buffered = buffered.subarray(frameSize);
        }
      }, callback);
    },
    flush(callback) {
      run(() => {
        if (!header || !key) throw malformed();
        if (buffered.length < TAG_LENGTH || buffered.length > header.frameLength + TAG_LENGTH) throw malformed();
        this.push(openFrame(key, header.header, index++, true, buffered));
        key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      key?.fill(0);
      callback(error);
    },
  });
}
