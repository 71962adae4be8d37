// Which format an inline body is written in and, on receive, which one a body is in. Both
// are told apart from the text alone: a compact body starts with `ps1.`; an ESDK body is the
// standard (RFC 4648 §4, padded, one line) base64 of an AWS Encryption SDK message, whose
// first byte is the format version 2 (or 1 followed by the type byte 0x80 for the legacy
// messages core reads under `require-encrypt-allow-decrypt`; data-format/message-header.md).
// Anything else is not encrypted (read only under a reading plaintextPolicy; message-state.ts).
import { ENVELOPE_PREFIX } from './constants.js';
import { invalidConfiguration } from './errors.js';

/** What an inline body is written as: an ESDK message (default) or phiseal's compact frame. */
export type BodyFormat = 'esdk' | 'compact';

/**
 * Parses the `bodyFormat` option.
 * @throws PhisealError `INVALID_CONFIGURATION`.
 */
export function bodyFormatOption(value: unknown): BodyFormat {
  if (value === undefined) return 'esdk';
  if (value !== 'esdk' && value !== 'compact') throw invalidConfiguration("bodyFormat must be 'esdk' or 'compact'.");
  return value;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// The shortest ESDK message (v1 header without EDKs, empty non-framed body) is well over 40 bytes.
const MIN_ESDK_TEXT = 56;

/** The format of a received inline body, or `undefined` when it is not an encrypted body. */
export function inlineFormat(body: string): BodyFormat | undefined {
  if (body.startsWith(ENVELOPE_PREFIX)) return 'compact';
  if (body.length < MIN_ESDK_TEXT || body.length % 4 !== 0 || !BASE64.test(body)) return undefined;
  const head = Buffer.from(body.slice(0, 4), 'base64');
  return head[0] === 2 || (head[0] === 1 && head[1] === 0x80) ? 'esdk' : undefined;
}
