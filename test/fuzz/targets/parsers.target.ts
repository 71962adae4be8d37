// The unauthenticated parsers: what phiseal reads before (or without) any tag check. Any
// value may come out, but only a value or a PhisealError: never another error, never a hang.
import { decodeWrappedKeys, encodeWrappedKeys, PhisealError } from '@phiseal/core';
import { parseBucketReference } from '@phiseal/s3';
import { parseQueueReference } from '@phiseal/sqs';
import { parseInstructionFile } from '../../../packages/s3/src/internal/instruction-file.js';
import { decodeContentMetadata, s3ecEntries } from '../../../packages/s3/src/internal/metadata-decode.js';
import { decodeFrame, encodeFrame } from '../../../packages/sqs/src/internal/body-frame.js';
import { formatPointer, parsePointer, parseReceiptHandle } from '../../../packages/sqs/src/internal/payload-pointer.js';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

const text = (v: Doc): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : JSON.stringify(v));
const bytes = (v: Doc): Uint8Array => (v instanceof Uint8Array ? v : Buffer.from(text(v), 'latin1'));

function parser(name: string, description: string, inputs: readonly Doc[], parse: (input: Doc) => unknown): FuzzTarget {
  return {
    name,
    description,
    parserOnly: true,
    ciCount: 400,
    samples: () => Promise.resolve(inputs.map((input, i): Sample => ({ label: `${name}-${i}`, input }))),
    open: (input) => Promise.resolve(parse(input)),
  };
}

const frameAttributes = { patient: { DataType: 'String', StringValue: 'Jane Q Doe' }, blob: { DataType: 'Binary.raw', BinaryValue: new Uint8Array([0, 1, 2]) } };
const wrapped = encodeWrappedKeys([
  { provider: 'local', keyId: 'fuzz', ciphertext: new Uint8Array(60).fill(9) },
  { provider: 'aws-kms', keyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', ciphertext: new Uint8Array(184).fill(3) },
]);
const v3Metadata = { 'x-amz-c': '115', 'x-amz-3': 'AQIDBA==', 'x-amz-w': '12', 'x-amz-t': '{"tenant":"a","aws:x-amz-cek-alg":"115"}', 'x-amz-d': Buffer.alloc(28, 1).toString('base64'), 'x-amz-i': Buffer.alloc(28, 2).toString('base64') };
const v2Metadata = {
  'x-amz-key-v2': 'AQIDBA==',
  'x-amz-iv': 'AAAAAAAAAAAAAAAA',
  'x-amz-cek-alg': 'AES/GCM/NoPadding',
  'x-amz-wrap-alg': 'kms+context',
  'x-amz-matdesc': '{"tenant":"a","aws:x-amz-cek-alg":"AES/GCM/NoPadding"}',
  'x-amz-tag-len': '128',
};

// Refuse inputs that are not the kind the real caller can pass (S3 metadata is strings only).
function stringMap(doc: Doc): Record<string, string> {
  if (typeof doc !== 'object' || doc === null || doc instanceof Uint8Array || Array.isArray(doc)) throw new PhisealError('INVALID_ARGUMENT', 'not a map');
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, text(v)]));
}

export const targets: readonly FuzzTarget[] = [
  parser('parse-core-wrapped-keys', 'core: the wrapped-key list of a message header (decodeWrappedKeys)', [wrapped], (v) => decodeWrappedKeys(bytes(v))),
  parser('parse-sqs-frame', 'sqs: the frame inside an inline body or sealed-attribute block (decodeFrame, both kinds)', [
    encodeFrame('body', frameAttributes, new TextEncoder().encode('body')),
    encodeFrame('sealedAttributes', frameAttributes, new TextEncoder().encode('payloads/key')),
  ], (v) => [decodeFrameOrNull('body', bytes(v)), decodeFrameOrNull('sealedAttributes', bytes(v))]),
  parser('parse-sqs-pointer', 'sqs: the extended clients\' pointer body (parsePointer)', [
    formatPointer({ bucket: 'payloads', key: 'prefix/2f1c6a5e' }),
    formatPointer({ bucket: 'payloads', key: 'k' }, true),
  ], (v) => parsePointer(text(v))),
  parser('parse-sqs-receipt-handle', 'sqs: receipt handles carrying a payload location (parseReceiptHandle)', [
    '-..s3BucketName..-payloads-..s3BucketName..--..s3Key..-prefix/k-..s3Key..-AQEB+handle==',
  ], (v) => parseReceiptHandle(text(v))),
  parser('parse-s3-instruction-file', 's3: instruction file JSON (parseInstructionFile)', [
    JSON.stringify({ 'x-amz-3': 'AQIDBA==', 'x-amz-w': '12', 'x-amz-t': '{"tenant":"a"}' }),
    JSON.stringify({ 'x-amz-key-v2': 'AQIDBA==', 'x-amz-iv': 'AAAAAAAAAAAAAAAA', 'x-amz-matdesc': '{}', 'x-amz-cek-alg': 'AES/GCM/NoPadding' }),
  ], (v) => parseInstructionFile(bytes(v))),
  parser('parse-s3-metadata', 's3: S3EC content metadata, V3 and V2 (s3ecEntries + decodeContentMetadata)', [v3Metadata, v2Metadata], (v) =>
    decodeContentMetadata(s3ecEntries(stringMap(v))),
  ),
  parser('parse-resource-references', 's3/sqs: bucket and queue references (parseBucketReference, parseQueueReference)', [
    'arn:aws:s3:us-east-1:111122223333:accesspoint/lab',
    'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results.fifo',
    'arn:aws:sqs:us-east-1:111122223333:lab',
  ], (v) => [tryTyped(() => parseBucketReference(text(v))), tryTyped(() => parseQueueReference(text(v)))]),
];

function decodeFrameOrNull(kind: 'body' | 'sealedAttributes', frame: Uint8Array): unknown {
  return tryTyped(() => decodeFrame(kind, frame));
}

/** Runs a parser whose PhisealError is an acceptable answer, so that both parsers of one input run. */
function tryTyped(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (PhisealError.is(error)) return error.code;
    throw error;
  }
}
