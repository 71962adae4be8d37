// ESDK messages as Node streams (client-apis/streaming.md): framed, constant memory. The
// encryptor holds at most one frame of plaintext; the decryptor releases a frame's
// plaintext only after its tag verifies, and for signed suites holds the final frame until
// the signature verifies (client-apis/decrypt.md "Verify the signature").
import type { KeyObject } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PhisealError } from '@phiseal/guard';
import { byteReader } from '../bytes.js';
import { malformed } from '../failures.js';
import { openFrame, readFrame, writeFrame } from './body-framed.js';
import { openNonFramed, readNonFramed } from './body-non-framed.js';
import { checkSignature, footer, readFooter, signer, verifier } from './footer.js';
import { CONTENT_FRAMED, readHeaderLayout, type HeaderLayout } from './header.js';
import { IV_LENGTH, TAG_LENGTH, type Suite } from './suites.js';

/** Most bytes buffered for a header, or for a non-framed body, before the stream is refused. */
export const MAX_STREAM_BUFFER = 64 * 1024 * 1024;

function run(work: () => Promise<void> | void, callback: TransformCallback): void {
  Promise.resolve()
    .then(work)
    .then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new PhisealError('INVALID_ARGUMENT', String(error))),
    );
}

export function chunkBytes(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new PhisealError('INVALID_ARGUMENT', 'stream chunks must be strings or bytes');
}

/** Chunks kept as they come, joined only when a whole unit is there (linear, not quadratic). */
class Pending {
  parts: Buffer[] = [];
  length = 0;
  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  take(): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return all;
  }
}

export type EsdkStreamStart = { suite: Suite; messageId: Buffer; key: Buffer; header: Buffer; signingKey?: KeyObject };

/** Encrypts a byte stream into one framed ESDK message. */
export function esdkEncryptingTransform(start: () => Promise<EsdkStreamStart>, frameLength: number): Transform {
  let s: EsdkStreamStart | undefined;
  let sign: ReturnType<typeof signer> | undefined;
  const pending = new Pending();
  let sequence = 1;
  const emit = (self: Transform, bytes: Buffer): void => {
    sign?.update(bytes);
    self.push(bytes);
  };
  const frame = (self: Transform, final: boolean, plaintext: Buffer): void => {
    const out = Buffer.allocUnsafe(plaintext.length + 4 + IV_LENGTH + TAG_LENGTH + (final ? 8 : 0));
    emit(self, out.subarray(0, writeFrame(out, 0, s!.key, s!.messageId, sequence++, final, plaintext)));
  };
  const begin = async (self: Transform): Promise<void> => {
    if (s) return;
    s = await start();
    if (s.signingKey && s.suite.signing) sign = signer(s.suite.signing);
    emit(self, s.header);
  };
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      run(async () => {
        await begin(this);
        pending.add(chunkBytes(chunk));
        // Every full frame is sealed as regular; the final frame gets the rest, maybe nothing
        // (body-framed.ts: what the SDKs write, and what the Python SDK 3.x can read).
        if (pending.length < frameLength) return;
        let all = pending.take();
        while (all.length >= frameLength) {
          frame(this, false, all.subarray(0, frameLength));
          all = all.subarray(frameLength);
        }
        pending.add(all);
      }, callback);
    },
    flush(callback) {
      run(async () => {
        await begin(this);
        frame(this, true, pending.take());
        if (sign && s!.signingKey) this.push(footer(sign.sign({ key: s!.signingKey, dsaEncoding: 'der' })));
        s!.key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      s?.key.fill(0);
      callback(error);
    },
  });
}

export type EsdkStreamOpen = { key: Buffer; verifyKey?: () => KeyObject };

/** Decrypts one ESDK message from a byte stream; `open` checks the policy and context and finds the key. */
export function esdkDecryptingTransform(open: (header: HeaderLayout) => Promise<EsdkStreamOpen>, maxWrappedKeys: number): Transform {
  const pending = new Pending();
  let header: HeaderLayout | undefined;
  let opened: EsdkStreamOpen | undefined;
  let verify: ReturnType<typeof verifier> | undefined;
  let sequence = 1;
  let held: Buffer | undefined; // a signed message's final frame, until the signature verifies
  let done = false;
  let nextAttempt = 0;

  const tryHeader = async (): Promise<boolean> => {
    if (pending.length < nextAttempt) return false;
    const bytes = pending.take();
    const r = byteReader(bytes);
    try {
      header = readHeaderLayout(r, bytes, maxWrappedKeys);
    } catch (error) {
      pending.add(bytes);
      if (!r.exhausted || bytes.length >= MAX_STREAM_BUFFER) throw error;
      nextAttempt = bytes.length * 2; // re-parse only once the buffer doubled: linear overall
      return false;
    }
    // A frame is buffered whole before its tag is checked: the writer must not choose how much.
    if (header.frameLength > MAX_STREAM_BUFFER) {
      throw new PhisealError('LIMIT_EXCEEDED', 'A frame length over 64 MiB cannot be decrypted as a stream.', { details: { limit: 'frameLength' } });
    }
    header = { ...header, body: Buffer.from(header.body), messageId: Buffer.from(header.messageId), commitment: Buffer.from(header.commitment) };
    opened = await open(header);
    if (header.suite.signing) verify = verifier(header.suite.signing).update(bytes.subarray(0, header.length));
    pending.add(bytes.subarray(header.length));
    return true;
  };

  // Frames while a whole one is surely there (a frame is at most frameLength + 40 bytes).
  const frames = (self: Transform, atEnd: boolean): void => {
    const h = header!;
    if (h.contentType !== CONTENT_FRAMED || done || (!atEnd && pending.length < h.frameLength + 40)) return;
    let bytes = pending.take();
    for (;;) {
      const frame = readFrame(bytes, 0, sequence, h.frameLength);
      if (!frame) break;
      const plaintext = openFrame(opened!.key, h.messageId, frame);
      verify?.update(bytes.subarray(0, frame.length));
      bytes = bytes.subarray(frame.length);
      sequence++;
      if (frame.final) {
        done = true;
        if (verify) held = plaintext;
        else self.push(plaintext);
        break;
      }
      self.push(plaintext);
      if (!atEnd && bytes.length < h.frameLength + 40) break;
    }
    pending.add(bytes);
  };

  const finish = (self: Transform): void => {
    const h = header!;
    let rest = pending.take();
    if (h.contentType !== CONTENT_FRAMED) {
      const body = readNonFramed(rest, 0);
      if (!body) throw malformed();
      const plaintext = openNonFramed(opened!.key, h.messageId, body);
      verify?.update(rest.subarray(0, body.length));
      rest = rest.subarray(body.length);
      if (verify) held = plaintext;
      else self.push(plaintext);
      done = true;
    }
    if (!done) throw malformed();
    if (verify) {
      const foot = readFooter(rest, 0);
      if (!foot || !opened!.verifyKey) throw malformed();
      checkSignature(verify, opened!.verifyKey(), foot.signature);
      rest = rest.subarray(foot.length);
      self.push(held);
    }
    if (rest.length !== 0) throw malformed();
  };

  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      run(async () => {
        pending.add(chunkBytes(chunk));
        if (!header && !(await tryHeader())) return;
        if (header!.contentType !== CONTENT_FRAMED && pending.length > MAX_STREAM_BUFFER) {
          throw new PhisealError('LIMIT_EXCEEDED', 'A non-framed message body over 64 MiB cannot be decrypted as a stream.');
        }
        frames(this, false);
      }, callback);
    },
    flush(callback) {
      run(async () => {
        if (!header) {
          nextAttempt = 0;
          if (!(await tryHeader())) throw malformed();
        }
        frames(this, true);
        finish(this);
        opened!.key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      opened?.key.fill(0);
      callback(error);
    },
  });
}
