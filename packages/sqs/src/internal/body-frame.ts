// The plaintext layout inside an encrypted inline body and inside the sealed-attribute
// block of an offloaded message: the attributes moved inside, then the body bytes.
//
//   u8  version (2)
//   u8  kind: 1 = compact inline body, 2 = sealed-attribute block of an offloaded message,
//            3 = sealed-attribute block of an ESDK inline body
//   u8  attribute count n (0..10)
//   n x { u16 name length, name UTF-8, u16 type length, DataType UTF-8, u32 value length, value }
//   rest: the body bytes (kind 1), the UTF-8 S3 key of the payload it belongs to (kind 2),
//         or the SHA-256 of the ESDK message (the decoded inline body) it belongs to (kind 3)
//
// Big-endian. A value is the UTF-8 of StringValue, or the BinaryValue bytes for a Binary
// type. The kind byte is the purpose label (issue 11, defect 3): it sits inside the
// authenticated plaintext, so a block can never be accepted as a body nor a body as a block.
// An ESDK inline body has no frame (its plaintext is the caller's bytes, which may mimic a
// frame), so a block in the ESDK format must also carry the reserved context pair
// `phiseal:part=sealed-attributes` (sealed-binding.ts), which no body may carry.
// Version 1 frames had no kind and are refused. The frame sits inside authenticated
// ciphertext, so a frame that fails to decode is a bug or a wrong key, never tolerated:
// decoding is strict (known-answer vectors in packages/sqs/test/vectors/body-frame.json).
import type { MessageAttribute } from '../types.js';
import { MAX_ATTRIBUTES } from './constants.js';
import { malformed } from './errors.js';

export const FRAME_VERSION = 2;

/** What a frame is for; decoding checks it against what the reader expects. */
export type FrameKind = 'body' | 'sealedAttributes' | 'inlineSealedAttributes';
const KIND_BYTE: Readonly<Record<FrameKind, number>> = { body: 1, sealedAttributes: 2, inlineSealedAttributes: 3 };
const HEADER = 3;

/** A decoded frame. */
export type BodyFrame = {
  attributes: Record<string, MessageAttribute>;
  body: Uint8Array;
};

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True for `Binary` and `Binary.<custom>` data types. */
export function isBinaryType(dataType: string): boolean {
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}

function valueBytes(attribute: MessageAttribute): Uint8Array {
  if (isBinaryType(attribute.DataType)) return attribute.BinaryValue ?? new Uint8Array(0);
  return encoder.encode(attribute.StringValue ?? '');
}

/**
 * Encodes a frame of `kind`: attributes (in the order given), then the body.
 * @throws never for valid (already normalized) attributes.
 */
export function encodeFrame(kind: FrameKind, attributes: Readonly<Record<string, MessageAttribute>>, body: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const entries = Object.entries(attributes);
  let length = HEADER + body.length;
  for (const [name, attribute] of entries) {
    const n = encoder.encode(name);
    const t = encoder.encode(attribute.DataType);
    const v = valueBytes(attribute);
    parts.push(n, t, v);
    length += 8 + n.length + t.length + v.length;
  }
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = FRAME_VERSION;
  out[1] = KIND_BYTE[kind];
  out[2] = entries.length;
  let at = HEADER;
  for (let i = 0; i < parts.length; i += 3) {
    const [n, t, v] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
    view.setUint16(at, n.length);
    out.set(n, at + 2);
    at += 2 + n.length;
    view.setUint16(at, t.length);
    out.set(t, at + 2);
    at += 2 + t.length;
    view.setUint32(at, v.length);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  out.set(body, at);
  return out;
}

/**
 * Decodes a frame of the expected kind. The body is a copy-free view into `frame`.
 * @throws PhisealError `MALFORMED_CIPHERTEXT` for any deviation from the layout, or a frame of the other kind.
 */
export function decodeFrame(kind: FrameKind, frame: Uint8Array): BodyFrame {
  if (frame.length < HEADER || frame[0] !== FRAME_VERSION || frame[1] !== KIND_BYTE[kind]) throw malformed();
  const count = frame[2]!;
  if (count > MAX_ATTRIBUTES) throw malformed();
  const attributes: Record<string, MessageAttribute> = Object.create(null) as Record<string, MessageAttribute>;
  let at = HEADER;
  const take = (size: number): Uint8Array => {
    if (at + size > frame.length) throw malformed();
    const slice = frame.subarray(at, at + size);
    at += size;
    return slice;
  };
  const text = (bytes: Uint8Array): string => {
    try {
      return strictDecoder.decode(bytes);
    } catch {
      throw malformed();
    }
  };
  const u16 = (): number => {
    const bytes = take(2);
    return (bytes[0]! << 8) | bytes[1]!;
  };
  const u32 = (): number => {
    const bytes = take(4);
    return bytes[0]! * 0x1000000 + ((bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
  };
  for (let i = 0; i < count; i++) {
    const name = text(take(u16()));
    const dataType = text(take(u16()));
    const size = u32();
    const value = take(size);
    if (name.length === 0 || dataType.length === 0 || name in attributes) throw malformed();
    attributes[name] = isBinaryType(dataType)
      ? { DataType: dataType, BinaryValue: value.slice() }
      : { DataType: dataType, StringValue: text(value) };
  }
  return { attributes: { ...attributes }, body: frame.subarray(at) };
}
