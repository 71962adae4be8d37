// Message attributes: normalizing what callers pass, SQS's naming rules, the guard over
// what stays visible, the size SQS charges for them, and reading them back from the SDK
// or a Lambda event.
import type { Guard } from '@phiseal/core';
import type { AttributeInput, MessageAttribute } from '../types.js';
import { RESERVED_ATTRIBUTES } from './constants.js';
import { invalidArgument } from './errors.js';
import { isBinaryType } from './body-frame.js';

export type Attributes = Record<string, MessageAttribute>;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
// SQS: up to 256 characters of A-Z a-z 0-9 _ - . ; no leading/trailing or doubled period;
// no AWS./Amazon. prefix (any case).
const NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,249})?$/;

/** An empty attribute record with no prototype (names such as `__proto__` are legal in SQS). */
export function emptyAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

function checkName(name: string): void {
  if (!NAME.test(name) || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
    throw invalidArgument('An attribute name breaks the SQS naming rules.', { rule: 'attributeName' });
  }
  if (RESERVED_ATTRIBUTES.has(name)) throw invalidArgument('An attribute name is reserved for payload offloading.', { rule: 'reserved' });
}

function normalizeOne(value: AttributeInput): MessageAttribute {
  if (typeof value === 'string') return { DataType: 'String', StringValue: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidArgument('A Number attribute must be finite.');
    return { DataType: 'Number', StringValue: String(value) };
  }
  if (value instanceof Uint8Array) return { DataType: 'Binary', BinaryValue: value };
  if (typeof value !== 'object' || value === null || typeof value.DataType !== 'string' || !DATA_TYPE.test(value.DataType)) {
    throw invalidArgument('An attribute must be a string, a number, bytes or { DataType, StringValue | BinaryValue }.');
  }
  if (isBinaryType(value.DataType)) {
    if (!(value.BinaryValue instanceof Uint8Array)) throw invalidArgument('A Binary attribute needs BinaryValue bytes.');
    return { DataType: value.DataType, BinaryValue: value.BinaryValue };
  }
  if (typeof value.StringValue !== 'string') throw invalidArgument('A String or Number attribute needs a StringValue.');
  return { DataType: value.DataType, StringValue: value.StringValue };
}

/**
 * Validates and normalizes caller attributes, splitting them into the visible ones and
 * those moved inside the encrypted body.
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function normalizeAttributes(
  input: Readonly<Record<string, AttributeInput>> | undefined,
  sealed: ReadonlySet<string> | 'all',
): { visible: Attributes; sealed: Attributes } {
  const visible = emptyAttributes();
  const inside = emptyAttributes();
  if (input === undefined) return { visible, sealed: inside };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidArgument('attributes must be an object.');
  for (const [name, value] of Object.entries(input)) {
    checkName(name);
    const attribute = normalizeOne(value);
    if (sealed === 'all' || sealed.has(name)) inside[name] = attribute;
    else visible[name] = attribute;
  }
  return { visible, sealed: inside };
}

/**
 * Checks visible attribute names and values: SQS stores them in the clear. Binary values
 * are checked when they are UTF-8 text (opaque bytes cannot be read by the detectors).
 * @throws PhisealError `PHI_DETECTED`.
 */
export function guardAttributes(guard: Guard, attributes: Attributes): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    guard.check(name, 'sqs.attribute');
    // A custom type label (`String.<label>`) is stored and returned in the clear too.
    guard.check(attribute.DataType, 'sqs.attribute');
    if (attribute.StringValue !== undefined) guard.check(attribute.StringValue, 'sqs.attribute');
    if (attribute.BinaryValue !== undefined) {
      let text: string | undefined;
      try {
        text = strictDecoder.decode(attribute.BinaryValue);
      } catch {
        text = undefined;
      }
      if (text !== undefined) guard.check(text, 'sqs.attribute');
    }
  }
}

/** Bytes SQS charges for attributes: name, data type and value of each. */
export function attributesSize(attributes: Attributes): number {
  let size = 0;
  for (const [name, attribute] of Object.entries(attributes)) {
    size += encoder.encode(name).length + encoder.encode(attribute.DataType).length;
    if (attribute.StringValue !== undefined) size += encoder.encode(attribute.StringValue).length;
    if (attribute.BinaryValue !== undefined) size += attribute.BinaryValue.length;
  }
  return size;
}

/** Attributes as returned by ReceiveMessage (SDK shape). */
export function fromSdkAttributes(
  input: Readonly<Record<string, { DataType?: string | undefined; StringValue?: string | undefined; BinaryValue?: Uint8Array | undefined } | undefined>> | undefined,
): Attributes {
  const out = emptyAttributes();
  for (const [name, value] of Object.entries(input ?? {})) {
    if (!value || typeof value.DataType !== 'string') continue;
    if (value.BinaryValue !== undefined) out[name] = { DataType: value.DataType, BinaryValue: value.BinaryValue };
    else out[name] = { DataType: value.DataType, StringValue: value.StringValue ?? '' };
  }
  return out;
}

/** Attributes of a Lambda SQS event record (lower-case keys, base64 binary). */
export function fromLambdaAttributes(
  input: Readonly<Record<string, { dataType: string; stringValue?: string | null | undefined; binaryValue?: string | null | undefined } | undefined>> | undefined,
): Attributes {
  const out = emptyAttributes();
  for (const [name, value] of Object.entries(input ?? {})) {
    if (!value || typeof value.dataType !== 'string') continue;
    if (typeof value.binaryValue === 'string') {
      out[name] = { DataType: value.dataType, BinaryValue: new Uint8Array(Buffer.from(value.binaryValue, 'base64')) };
    } else out[name] = { DataType: value.dataType, StringValue: value.stringValue ?? '' };
  }
  return out;
}
