import { describe, expect, it } from 'vitest';
import { checkStoredContext, storedContext, validateCallerContext } from './encryption-context.js';
import { dispositionFilenames } from './guards.js';
import { mergeInstructionFile, parseInstructionFile } from './instruction-file.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from './metadata-decode.js';
import { placeMetadata } from './metadata-encode.js';
import { cipherRange, parseRange } from './ranged-read.js';
import { loadWrappedKey, storeWrappedKey } from './wrapped-key-codec.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

const v3 = {
  'x-amz-c': '115',
  'x-amz-3': 'AQID',
  'x-amz-w': '12',
  'x-amz-t': '{"aws:x-amz-cek-alg":"115"}',
  'x-amz-d': Buffer.alloc(28, 1).toString('base64'),
  'x-amz-i': Buffer.alloc(28, 2).toString('base64'),
};

describe('metadata decoding', () => {
  it('decodes V3 and refuses missing, unknown or mixed entries', () => {
    expect(decodeContentMetadata(v3).format).toBe('v3');
    expect(codeOf(() => decodeContentMetadata({ ...v3, 'x-amz-w': '99' }))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decodeContentMetadata({ ...v3, 'x-amz-w': '02' }))).toBe('UNSUPPORTED_OPERATION');
    expect(codeOf(() => decodeContentMetadata({ ...v3, 'x-amz-t': '[1]' }))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decodeContentMetadata({ ...v3, 'x-amz-t': '{"a":1}' }))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decodeContentMetadata({ ...v3, 'x-amz-iv': 'AAAA' }))).toBe('MALFORMED_CIPHERTEXT');
    const { ['x-amz-i']: _dropped, ...noId } = v3;
    expect(codeOf(() => decodeContentMetadata(noId))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decodeContentMetadata({}))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('refuses legacy CBC and non-KMS official wrappings as unsupported', () => {
    const v2 = {
      'x-amz-key-v2': 'AQID',
      'x-amz-iv': Buffer.alloc(12).toString('base64'),
      'x-amz-cek-alg': 'AES/GCM/NoPadding',
      'x-amz-tag-len': '128',
      'x-amz-wrap-alg': 'kms+context',
      'x-amz-matdesc': '{}',
    };
    expect(decodeContentMetadata(v2).format).toBe('v2');
    expect(codeOf(() => decodeContentMetadata({ ...v2, 'x-amz-cek-alg': 'AES/CBC/PKCS5Padding' }))).toBe('UNSUPPORTED_OPERATION');
    expect(codeOf(() => decodeContentMetadata({ ...v2, 'x-amz-wrap-alg': 'AES/GCM' }))).toBe('UNSUPPORTED_OPERATION');
    expect(codeOf(() => decodeContentMetadata({ ...v2, 'x-amz-wrap-alg': 'kms' }))).toBe('UNSUPPORTED_OPERATION');
    expect(codeOf(() => decodeContentMetadata({ ...v2, 'x-amz-iv': 'AAAA' }))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('keeps only S3EC entries and knows when the instruction file is needed', () => {
    expect(s3ecEntries({ 'X-Amz-C': '115', owner: 'lab' })).toEqual({ 'x-amz-c': '115' });
    expect(needsInstructionFile({ 'x-amz-c': '115', 'x-amz-d': 'a', 'x-amz-i': 'b' })).toBe(true);
    expect(needsInstructionFile(v3)).toBe(false);
  });
});

describe('instruction files', () => {
  it('places V3 content entries on the object and key entries in the file', () => {
    const placed = placeMetadata(v3, 'v3', true);
    expect(Object.keys(placed.objectMetadata).sort()).toEqual(['x-amz-c', 'x-amz-d', 'x-amz-i']);
    expect(Object.keys(placed.instructionFile ?? {}).sort()).toEqual(['x-amz-3', 'x-amz-t', 'x-amz-w']);
    expect(placeMetadata(v3, 'v3', false).instructionFile).toBeUndefined();
  });

  it('parses strictly and refuses V2 content on the object next to a V2 instruction file', () => {
    expect(parseInstructionFile(Buffer.from('{"x-amz-t":{"a":"b"}}'))).toEqual({ 'x-amz-t': '{"a":"b"}' });
    expect(codeOf(() => parseInstructionFile(Buffer.from('[]')))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => parseInstructionFile(Buffer.from('{"x-amz-i":"a"}')))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => mergeInstructionFile({ 'x-amz-key-v2': 'a' }, { 'x-amz-iv': 'b' }))).toBe('MALFORMED_CIPHERTEXT');
    expect(mergeInstructionFile({ 'x-amz-3': 'a' }, { 'x-amz-c': '115' })).toEqual({ 'x-amz-3': 'a', 'x-amz-c': '115' });
  });
});

describe('encryption context', () => {
  it('adds the reserved algorithm entry and checks the exact context on read', () => {
    expect(storedContext({ a: 'b' }, 'v3')).toEqual({ a: 'b', 'aws:x-amz-cek-alg': '115' });
    expect(storedContext({}, 'v2')).toEqual({ 'aws:x-amz-cek-alg': 'AES/GCM/NoPadding' });
    const stored = { a: 'b', 'aws:x-amz-cek-alg': '115' };
    expect(codeOf(() => checkStoredContext(stored, { a: 'b' }, 'v3'))).toBeUndefined();
    expect(codeOf(() => checkStoredContext(stored, {}, 'v3'))).toBe('CONTEXT_MISMATCH');
    expect(codeOf(() => checkStoredContext(stored, { a: 'b', c: 'd' }, 'v3'))).toBe('CONTEXT_MISMATCH');
    expect(codeOf(() => checkStoredContext(stored, { a: 'b' }, 'v2'))).toBe('DECRYPTION_FAILED');
    expect(codeOf(() => validateCallerContext({ kms_cmk_id: 'x' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => validateCallerContext({ a: 1 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('wrapped keys, ranges and filenames', () => {
  it('stores KMS blobs bare and other providers in the phiseal layout', () => {
    const kms = storeWrappedKey({ provider: 'aws-kms', keyId: 'arn:k', ciphertext: Uint8Array.of(9, 9) });
    expect(kms).toEqual({ wrapAlgorithm: 'kms+context', bytes: Uint8Array.of(9, 9) });
    expect(loadWrappedKey('kms+context', Uint8Array.of(9, 9))).toEqual({ provider: 'aws-kms', keyId: '', ciphertext: Uint8Array.of(9, 9) });
    const local = storeWrappedKey({ provider: 'local', keyId: 'dev', ciphertext: Uint8Array.of(1, 2, 3) });
    expect(loadWrappedKey(local.wrapAlgorithm, local.bytes)).toEqual({ provider: 'local', keyId: 'dev', ciphertext: Uint8Array.of(1, 2, 3) });
    expect(codeOf(() => loadWrappedKey('phiseal', Uint8Array.of(1, 0, 9)))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('widens ranges to whole blocks', () => {
    expect(parseRange('bytes=17-40')).toEqual({ start: 17, end: 40 });
    expect(cipherRange({ start: 17, end: 40 })).toBe('bytes=16-40');
    expect(cipherRange({ start: 5 })).toBe('bytes=0-');
    expect(codeOf(() => parseRange('bytes=9-3'))).toBe('INVALID_ARGUMENT');
  });

  it('extracts Content-Disposition filenames', () => {
    expect(dispositionFilenames('attachment; filename="a \\"b\\".pdf"; filename*=UTF-8\'\'c%20d.pdf')).toEqual(['a "b".pdf', 'c d.pdf']);
    expect(dispositionFilenames('inline')).toEqual([]);
  });
});
