// Opening a sealed frame (a compact inline body, or a sealed-attribute block) from its
// encrypted text. A compact message's plaintext is always a phiseal frame, whose kind byte
// says what it is for. An ESDK message's plaintext can be anything a producer was asked to
// send (an ESDK inline body is the caller's bytes), so an ESDK block is accepted only when
// its authenticated context carries the block's purpose pair (sealed-binding.ts), which
// callers cannot set: otherwise a body crafted to look like a block could be attached to
// another message.
import type { Envelope } from '@phiseal/core';
import { decodeFrame, type BodyFrame, type FrameKind } from './body-frame.js';
import { ENVELOPE_PREFIX } from './constants.js';
import { decryptionFailed } from './errors.js';
import { BLOCK_PART, PART_CONTEXT_KEY } from './sealed-binding.js';

/**
 * Decrypts `sealed` and decodes the frame of `kind` inside.
 * @throws PhisealError `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, KMS codes.
 */
export async function openFrame(
  envelope: Envelope,
  kind: FrameKind,
  sealed: string,
  context: Readonly<Record<string, string>> | undefined,
): Promise<BodyFrame> {
  const compact = sealed.startsWith(ENVELOPE_PREFIX);
  // Compact bodies (kind 'body') are the only frames never written as ESDK messages.
  if (!compact && kind === 'body') throw decryptionFailed({ part: 'body' });
  const out = await envelope.decrypt(sealed, context === undefined ? {} : { context: { ...context } });
  if (!compact && (!Object.hasOwn(out.context, PART_CONTEXT_KEY) || out.context[PART_CONTEXT_KEY] !== BLOCK_PART)) {
    throw decryptionFailed({ part: 'sealedAttributes' });
  }
  return decodeFrame(kind, out.plaintext);
}
