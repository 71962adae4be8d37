import { Transform } from 'node:stream';
import { chunkBytes, runStep } from './transform-steps.js';
import { PhisealError } from '@phiseal/guard';
import { malformed } from './failures.js';
import { TAG_LENGTH } from './message-format.js';
import { MAX_FRAMES, MAX_HEADER, openFrame, parseStreamHeader, sealFrame, type StreamHeader } from './stream-format.js';

export type StreamStart = { header: Buffer; key: Buffer };

/**
 * Bytes waiting for a whole frame. Chunks are kept as they come and joined once a frame's
 * worth is there: joining on every chunk would copy a frame of up to 16 MiB once per small
 * chunk (quadratic in the frame length, which a ciphertext's header chooses).
 */
type Pending = { parts: Buffer[]; length: number };

function append(pending: Pending, bytes: Buffer): void {
  if (bytes.length === 0) return;
  pending.parts.push(bytes);
  pending.length += bytes.length;
}

/** Everything pending as one buffer (joined at most once), leaving `pending` empty. */
function take(pending: Pending): Buffer {
  const { parts, length } = pending;
  pending.parts = [];
  pending.length = 0;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

/** Cuts whole `size`-byte pieces while more than `size` bytes are pending; keeps the rest. */
function drain(pending: Pending, size: number, piece: (bytes: Buffer) => void): void {
  if (pending.length <= size) return;
  let all = take(pending);
  while (all.length > size) {
    piece(all.subarray(0, size));
    all = all.subarray(size);
  }
  append(pending, all);
}

/** Encrypts a byte stream frame by frame; memory stays within about two frames. */
export function encryptingTransform(start: () => Promise<StreamStart>, frameLength: number): Transform {
  let state: StreamStart | undefined;
  const pending: Pending = { parts: [], length: 0 };
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
      runStep(async () => {
        const s = await begin(this);
        append(pending, chunkBytes(chunk));
        // A frame is sealed as non-final only once more data is known to follow it.
        drain(pending, frameLength, (plaintext) => frame(this, s, false, plaintext));
      }, callback);
    },
    flush(callback) {
      runStep(async () => {
        const s = await begin(this);
        frame(this, s, true, take(pending));
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
 * When to try parsing the header again. Retrying on every chunk re-joins and re-parses
 * everything buffered so far: quadratic in the number of chunks (1 MiB of header in
 * 64-byte chunks took seconds; issue #11, defect 8). Waiting until the buffer has doubled
 * makes the bytes joined and parsed a geometric series: at most about 4x the header.
 */
export const nextHeaderAttempt = (buffered: number): number => Math.min(MAX_HEADER, Math.max(2 * buffered, 64));

/**
 * Decrypts a stream, releasing each frame's plaintext only after its tag verifies. A cut
 * stream fails at its end: what was released before is authentic but incomplete, so
 * callers that need all-or-nothing write to a temporary place and commit on success.
 */
export function decryptingTransform(open: (header: StreamHeader) => Promise<Buffer>): Transform {
  const buffered: Pending = { parts: [], length: 0 };
  let header: StreamHeader | undefined;
  let key: Buffer | undefined;
  let index = 0;
  let attemptAt = 0;
  // Parses the header once enough bytes are there (all of them at the end of the stream).
  const begin = async (atEnd: boolean): Promise<boolean> => {
    if (header) return true;
    if (buffered.length < attemptAt && !atEnd) return false;
    // The header is parsed from one buffer (at most MAX_HEADER bytes are held for it).
    const start = take(buffered);
    const parsed = parseStreamHeader(start);
    append(buffered, parsed ? start.subarray(parsed.header.length) : start);
    if (!parsed) {
      attemptAt = nextHeaderAttempt(start.length);
      return false;
    }
    key = await open(parsed);
    header = parsed;
    return true;
  };
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      runStep(async () => {
        append(buffered, chunkBytes(chunk));
        if (!(await begin(false))) return;
        const h = header!;
        drain(buffered, h.frameLength + TAG_LENGTH, (frame) => this.push(openFrame(key!, h.header, index++, false, frame)));
      }, callback);
    },
    flush(callback) {
      runStep(async () => {
        if (!(await begin(true)) || !header || !key) throw malformed();
        const h = header;
        drain(buffered, h.frameLength + TAG_LENGTH, (frame) => this.push(openFrame(key!, h.header, index++, false, frame)));
        const last = take(buffered);
        if (last.length < TAG_LENGTH || last.length > h.frameLength + TAG_LENGTH) throw malformed();
        this.push(openFrame(key, h.header, index++, true, last));
        key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      key?.fill(0);
      callback(error);
    },
  });
}
