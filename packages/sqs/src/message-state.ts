import type { RecordState } from '@phiseal/core';
import { LEGACY_SIZE_ATTRIBUTE, SEALED_ATTRIBUTE, SIZE_ATTRIBUTE } from './internal/constants.js';
import { inlineFormat } from './internal/inline-format.js';

/**
 * What a received message is: a {@link RecordState}, or `'offloaded'` when it carries the
 * extended clients' pointer attribute, so that its S3 payload decides (classify it with
 * `objectStateOf` from `@phiseal/s3`).
 * @example
 * ```ts
 * const state: MessageState = messageState(message);
 * ```
 */
export type MessageState = RecordState | 'offloaded';

/**
 * A message in any of the shapes it is received in (only its body and attribute names are read).
 *
 * @example
 * ```ts
 * import { messageState, type ReceivedMessageLike } from '@phiseal/sqs';
 * const fromLambda: ReceivedMessageLike = { body: 'ps1.AAAA', messageAttributes: {} };
 * const fromSdk: ReceivedMessageLike = { Body: 'glucose 5.4', MessageAttributes: {} };
 * messageState(fromSdk); // 'plaintext'
 * ```
 */
export type ReceivedMessageLike = {
  body?: unknown;
  Body?: unknown;
  attributes?: unknown;
  MessageAttributes?: unknown;
  messageAttributes?: unknown;
};

/**
 * Whether an inline body is one phiseal's decoder opens as ciphertext: the compact envelope
 * (`ps1.`) or the standard base64 of an AWS Encryption SDK message (first byte 2, or 1 and
 * 0x80). A plaintext body that happens to look so is read as (failing) ciphertext, never as
 * plaintext; phiseal refuses to send such a body under `'write-plaintext'`.
 * @throws never
 * @example
 * ```ts
 * isSealedBody('ps1.AAAA'); // true
 * ```
 */
export function isSealedBody(body: string): boolean {
  return inlineFormat(body) !== undefined;
}

function attributeNames(message: ReceivedMessageLike): string[] {
  const attributes = message.attributes ?? message.MessageAttributes ?? message.messageAttributes;
  return typeof attributes === 'object' && attributes !== null ? Object.keys(attributes) : [];
}

/**
 * What a received SQS message is, from phiseal's markers alone (no key, no KMS call):
 * `'offloaded'` with the extended clients' pointer attribute (`ExtendedPayloadSize`, or
 * `SQSLargePayloadSize`): its S3 payload decides; `'encrypted'` for an inline body the
 * decoder opens as ciphertext ({@link isSealedBody}), with or without phiseal's
 * sealed-attribute block (`PhisealSealedAttributes`); `'tampered'` for that block on a body
 * that is not ciphertext; `'plaintext'` otherwise — only a message with none of these markers. Takes `encryptedQueue().receive()` and `decryptRecord`
 * shapes (`{ body, attributes }`), SDK `Message`s (`{ Body, MessageAttributes }`) and Lambda
 * records (`{ body, messageAttributes }`).
 *
 * @throws never (a message without a string body is `'tampered'`).
 * @example
 * ```ts
 * import { messageState } from '@phiseal/sqs';
 * messageState({ Body: 'glucose 5.4', MessageAttributes: {} }); // 'plaintext'
 * ```
 */
export function messageState(message: ReceivedMessageLike): MessageState {
  if (typeof message !== 'object' || message === null) return 'tampered';
  const names = attributeNames(message);
  if (names.includes(SIZE_ATTRIBUTE) || names.includes(LEGACY_SIZE_ATTRIBUTE)) return 'offloaded';
  const body = message.body ?? message.Body;
  if (typeof body !== 'string') return 'tampered';
  if (isSealedBody(body)) return 'encrypted';
  // A sealed-attribute block authenticates nothing without a ciphertext body to belong to.
  return names.includes(SEALED_ATTRIBUTE) ? 'tampered' : 'plaintext';
}
