import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WrappedKey } from '@phiseal/core';
import { prepareEncryption } from './internal/content-seal.js';
import { encodeContentMetadata, placeMetadata, serializeInstructionFile } from './internal/metadata-encode.js';
import { readStoredDataKey, replaceStoredDataKey, verifyStoredDataKey } from './stored-data-key.js';
import { storeWrappedKey } from './internal/wrapped-key-codec.js';

const context = { dataset: 'labs', 'aws:x-amz-cek-alg': '115' };

function stored(format: 'v2' | 'v3', wrapped: WrappedKey, instructionFile: boolean, dataKey = randomBytes(32)) {
  const { wrapAlgorithm, bytes } = storeWrappedKey(wrapped);
  const { meta } = prepareEncryption({ format, dataKey, wrapAlgorithm, encryptedDataKey: bytes, context });
  const placed = placeMetadata(encodeContentMetadata(meta), format, instructionFile);
  return {
    dataKey,
    metadata: { source: 'lis', ...placed.objectMetadata },
    instructionFile: placed.instructionFile === undefined ? null : serializeInstructionFile(placed.instructionFile),
  };
}

const hex = (w: WrappedKey) => ({ ...w, ciphertext: Buffer.from(w.ciphertext).toString('hex'), providerInfo: w.providerInfo && Buffer.from(w.providerInfo).toString('hex') });
const kms = (bytes: Uint8Array): WrappedKey => ({ provider: 'aws-kms', keyId: '', ciphertext: bytes });
const local = (bytes: Uint8Array): WrappedKey => ({ provider: 'phiseal-local', keyId: 'new-key', providerInfo: Uint8Array.of(1, 2, 3), ciphertext: bytes });

describe.each(['v2', 'v3'] as const)('%s', (format) => {
  describe.each([false, true])('instruction file %s', (instructionFile) => {
    it('replaces the wrapped key (and the wrapping algorithm with it) and nothing else', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), (before, after, toLocal) => {
          const object = stored(format, kms(before), instructionFile);
          const read = readStoredDataKey(object.metadata, object.instructionFile);
          expect(read).toMatchObject({ format, location: instructionFile ? 'instruction-file' : 'metadata', context });
          expect(Buffer.from(read.wrapped.ciphertext).equals(Buffer.from(before))).toBe(true);
          const wrapped = toLocal ? local(after) : kms(after);
          const next = replaceStoredDataKey(read, object, wrapped);
          const metadata = 'metadata' in next ? next.metadata : object.metadata;
          const file = 'instructionFile' in next ? next.instructionFile : object.instructionFile;
          if (instructionFile) expect('instructionFile' in next).toBe(true);
          else expect(next).toEqual({ metadata: expect.objectContaining({ source: 'lis' }) });
          const again = readStoredDataKey(metadata, file);
          expect(hex(again.wrapped)).toEqual(hex(wrapped));
          expect(again.context).toEqual(context);
          // Every entry but the key and its wrapping algorithm is as it was.
          const strip = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([k]) => !['x-amz-key-v2', 'x-amz-3', 'x-amz-wrap-alg', 'x-amz-w'].includes(k)));
          expect(strip(metadata)).toEqual(strip(object.metadata));
          if (file !== null && object.instructionFile !== null) expect(strip(JSON.parse(file) as Record<string, string>)).toEqual(strip(JSON.parse(object.instructionFile) as Record<string, string>));
        }),
        { numRuns: 50 },
      );
    });
  });

  it('verifies the data key against the V3 commitment', () => {
    const object = stored(format, kms(randomBytes(40)), false);
    const read = readStoredDataKey(object.metadata, null);
    expect(() => verifyStoredDataKey(read, object.dataKey)).not.toThrow();
    const wrong = randomBytes(32);
    if (format === 'v3') expect(() => verifyStoredDataKey(read, wrong)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    else expect(() => verifyStoredDataKey(read, wrong)).not.toThrow();
    expect(() => verifyStoredDataKey({ ...read }, object.dataKey)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });
});

it('refuses what is not a complete S3EC object with the shared codes', () => {
  expect(() => readStoredDataKey({ source: 'lis' }, null)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }));
  expect(() => readStoredDataKey({ 'x-amz-c': '115' }, '{"x-amz-3":')).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }));
  expect(() => readStoredDataKey({ 'x-amz-key': 'AAAA' }, null)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
});
