import { PhisealError } from '@phiseal/guard';
import type { Envelope } from './envelope-types.js';
import { ciphertextBytes } from './internal/esdk/detect.js';

/**
 * Options of {@link rewrapMessage}.
 * @example
 * ```ts
 * const options: RewrapMessageOptions = { from: oldEnvelope, to: newEnvelope, context: { tenant: 'clinic-a' } };
 * ```
 */
export type RewrapMessageOptions = {
  /** An envelope over the key the message is wrapped under now. */
  readonly from: Envelope;
  /** An envelope over the key to move it to; its settings (suite, frame length) write the new message. */
  readonly to: Envelope;
  /** Pairs the stored context must contain (as `decrypt`'s `context`), checked before any KMS call. */
  readonly context?: Record<string, string>;
};

// Keys the SDK adds itself (the ECDSA public key of a signed suite): the new message gets its own.
const RESERVED = 'aws-crypto-';

/**
 * Moves one stored message (an ESDK message or a compact `ps1.` message, as bytes or in its
 * string form) from the key behind `from` to the key behind `to`: the result has the same
 * plaintext, the same encryption context and the same form, and only `to` opens it.
 *
 * The message is decrypted and encrypted again under a new data key and message id; its
 * header alone is not swapped. Both formats authenticate the header with AES-GCM under the
 * message key and a fixed IV (ESDK v2: the header tag, IV 0; compact: the header is the AAD of
 * the single GCM ciphertext). A second tag over a changed header under the same key and IV would
 * give anyone holding both versions the GHASH key (the "forbidden attack"), and with it forged
 * frames; a new message id means a new key, so the body must be encrypted again. The plaintext
 * is zeroized once the new message is written. For large payloads use `from.decryptStream()`
 * piped into `to.encryptStream()`.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (`from` and `to` the same envelope, not a
 * message), and what `from.decrypt` (`DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`,
 * `KEY_NOT_ALLOWED` when it is not under `from`, `CONTEXT_MISMATCH`) and `to.encrypt`
 * (`PHI_DETECTED`, `KMS_UNAVAILABLE`) throw.
 * @example
 * ```ts
 * import { createEnvelope, KmsKeyProvider, rewrapMessage } from '@phiseal/core';
 * const from = createEnvelope({ keys: new KmsKeyProvider({ keyId: oldKeyArn }) });
 * const to = createEnvelope({ keys: new KmsKeyProvider({ keyId: newKeyArn }) });
 * const moved = await rewrapMessage(stored, { from, to }); // same form as `stored`
 * ```
 */
export async function rewrapMessage<T extends Uint8Array | string>(ciphertext: T, options: RewrapMessageOptions): Promise<T extends string ? string : Uint8Array> {
  const { from, to } = options ?? {};
  if (typeof from?.decrypt !== 'function' || typeof to?.encrypt !== 'function') throw new PhisealError('INVALID_ARGUMENT', 'rewrapMessage needs `from` and `to` envelopes.');
  if (from === to) throw new PhisealError('INVALID_ARGUMENT', '`from` and `to` are the same envelope: there is nothing to re-key.');
  if (typeof ciphertext !== 'string' && !(ciphertext instanceof Uint8Array)) throw new PhisealError('INVALID_ARGUMENT', 'rewrapMessage takes a message (a string or a Uint8Array).');
  const { format } = ciphertextBytes(ciphertext);
  const opened = await from.decrypt(ciphertext, options.context === undefined ? undefined : { context: options.context });
  try {
    const context = Object.fromEntries(Object.entries(opened.context).filter(([k]) => !k.startsWith(RESERVED)));
    const sealed = typeof ciphertext === 'string' ? await to.encryptToString(opened.plaintext, { context, format }) : await to.encrypt(opened.plaintext, { context, format });
    return sealed as T extends string ? string : Uint8Array;
  } finally {
    opened.plaintext.fill(0);
  }
}
