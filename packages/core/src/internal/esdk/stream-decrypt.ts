// The steps of a decrypting ESDK stream (stream.ts wires them into a Transform): the header,
// then frames as they arrive, then the end of the message (client-apis/decrypt.md). A frame's
// plaintext is released only after its tag verifies; a signed message's final frame is held
// until the signature verifies ("Verify the signature").
import { PhisealError } from '@phiseal/guard';
import { byteReader } from '../bytes.js';
import { malformed } from '../failures.js';
import { openFrame, readFrame } from './body-framed.js';
import { openNonFramed, readNonFramed } from './body-non-framed.js';
import { checkSignature, readFooter, verifier } from './footer.js';
import { CONTENT_FRAMED, readHeaderLayout, type HeaderLayout } from './header.js';
import type { Pending } from './pending-bytes.js';
import type { EsdkStreamOpen } from './stream.js';

/** Most bytes buffered for a header, or for a non-framed body, before the stream is refused. */
export const MAX_STREAM_BUFFER = 64 * 1024 * 1024;

/** What a decrypting stream has read so far. */
export type DecryptingStream = {
  pending: Pending;
  open: (header: HeaderLayout) => Promise<EsdkStreamOpen>;
  maxWrappedKeys: number;
  header: HeaderLayout | undefined;
  opened: EsdkStreamOpen | undefined;
  verify: ReturnType<typeof verifier> | undefined;
  sequence: number;
  /** A signed message's final frame, until the signature verifies. */
  held: Buffer | undefined;
  done: boolean;
  /** Buffered bytes needed before the header is parsed again. */
  nextAttempt: number;
};

/**
 * Parses the header once enough bytes are buffered, then opens the message (policy, context,
 * data key). Returns false while the header is incomplete.
 * @throws the parse error of a header that is not incomplete but wrong, or over MAX_STREAM_BUFFER;
 * `LIMIT_EXCEEDED` for a frame length over MAX_STREAM_BUFFER; what `open` throws.
 */
export async function readStreamHeader(st: DecryptingStream): Promise<boolean> {
  if (st.pending.length < st.nextAttempt) return false;
  const bytes = st.pending.take();
  const r = byteReader(bytes);
  let header: HeaderLayout;
  try {
    header = st.header = readHeaderLayout(r, bytes, st.maxWrappedKeys);
  } catch (error) {
    st.pending.add(bytes);
    if (!r.exhausted || bytes.length >= MAX_STREAM_BUFFER) throw error;
    st.nextAttempt = bytes.length * 2; // re-parse only once the buffer doubled: linear overall
    return false;
  }
  // A frame is buffered whole before its tag is checked: the writer must not choose how much.
  if (header.frameLength > MAX_STREAM_BUFFER) {
    throw new PhisealError('LIMIT_EXCEEDED', 'A frame length over 64 MiB cannot be decrypted as a stream.', { details: { limit: 'frameLength' } });
  }
  header = st.header = { ...header, body: Buffer.from(header.body), messageId: Buffer.from(header.messageId), commitment: Buffer.from(header.commitment) };
  st.opened = await st.open(header);
  if (header.suite.signing) st.verify = verifier(header.suite.signing).update(bytes.subarray(0, header.length));
  st.pending.add(bytes.subarray(header.length));
  return true;
}

/**
 * Opens and pushes the frames buffered, while a whole one is surely there (a frame is at most
 * frameLength + 40 bytes), or all of them `atEnd`.
 */
export function releaseFrames(st: DecryptingStream, push: (plaintext: Buffer) => void, atEnd: boolean): void {
  const h = st.header!;
  if (h.contentType !== CONTENT_FRAMED || st.done || (!atEnd && st.pending.length < h.frameLength + 40)) return;
  let bytes = st.pending.take();
  for (;;) {
    const frame = readFrame(bytes, 0, st.sequence, h.frameLength);
    if (!frame) break;
    const plaintext = openFrame(st.opened!.key, h.messageId, frame);
    st.verify?.update(bytes.subarray(0, frame.length));
    bytes = bytes.subarray(frame.length);
    st.sequence++;
    if (frame.final) {
      st.done = true;
      if (st.verify) st.held = plaintext;
      else push(plaintext);
      break;
    }
    push(plaintext);
    if (!atEnd && bytes.length < h.frameLength + 40) break;
  }
  st.pending.add(bytes);
}

/**
 * The end of the stream: a non-framed body is opened whole; the message must be complete,
 * its signature (signed suites) must verify before the held final plaintext is pushed, and
 * nothing may follow.
 * @throws MALFORMED_CIPHERTEXT for a message cut short or with bytes after it; the signature check's failure.
 */
export function finishMessage(st: DecryptingStream, push: (plaintext: Buffer) => void): void {
  const h = st.header!;
  let rest = st.pending.take();
  if (h.contentType !== CONTENT_FRAMED) {
    const body = readNonFramed(rest, 0);
    if (!body) throw malformed();
    const plaintext = openNonFramed(st.opened!.key, h.messageId, body);
    st.verify?.update(rest.subarray(0, body.length));
    rest = rest.subarray(body.length);
    if (st.verify) st.held = plaintext;
    else push(plaintext);
    st.done = true;
  }
  if (!st.done) throw malformed();
  if (st.verify) {
    const foot = readFooter(rest, 0);
    if (!foot || !st.opened!.verifyKey) throw malformed();
    checkSignature(st.verify, st.opened!.verifyKey(), foot.signature);
    rest = rest.subarray(foot.length);
    push(st.held!);
  }
  if (rest.length !== 0) throw malformed();
}
