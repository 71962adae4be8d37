// ESDK messages as Node streams (client-apis/streaming.md): framed, constant memory. The
// encryptor holds at most one frame of plaintext; the decryptor releases a frame's
// plaintext only after its tag verifies, and for signed suites holds the final frame until
// the signature verifies (client-apis/decrypt.md "Verify the signature").
import type { KeyObject } from 'node:crypto';
import { Transform } from 'node:stream';
import { chunkBytes, runStep } from '../transform-steps.js';
import { PhisealError } from '@phiseal/guard';
import { malformed } from '../failures.js';
import { writeFrame } from './body-framed.js';
import { footer, signer } from './footer.js';
import { CONTENT_FRAMED, type HeaderLayout } from './header.js';
import { Pending } from './pending-bytes.js';
import { finishMessage, MAX_STREAM_BUFFER, readStreamHeader, releaseFrames, type DecryptingStream } from './stream-decrypt.js';
import { IV_LENGTH, TAG_LENGTH, type Suite } from './suites.js';

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
      runStep(async () => {
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
      runStep(async () => {
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
  const st: DecryptingStream = {
    pending: new Pending(), open, maxWrappedKeys,
    header: undefined, opened: undefined, verify: undefined, sequence: 1, held: undefined, done: false, nextAttempt: 0,
  };
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      runStep(async () => {
        st.pending.add(chunkBytes(chunk));
        if (!st.header && !(await readStreamHeader(st))) return;
        if (st.header!.contentType !== CONTENT_FRAMED && st.pending.length > MAX_STREAM_BUFFER) {
          throw new PhisealError('LIMIT_EXCEEDED', 'A non-framed message body over 64 MiB cannot be decrypted as a stream.');
        }
        releaseFrames(st, (plaintext) => this.push(plaintext), false);
      }, callback);
    },
    flush(callback) {
      runStep(async () => {
        if (!st.header) {
          st.nextAttempt = 0;
          if (!(await readStreamHeader(st))) throw malformed();
        }
        const push = (plaintext: Buffer) => this.push(plaintext);
        releaseFrames(st, push, true);
        finishMessage(st, push);
        st.opened!.key.fill(0);
      }, callback);
    },
    destroy(error, callback) {
      st.opened?.key.fill(0);
      callback(error);
    },
  });
}
