import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instructionFileNeeded, objectState } from './object-state.js';

// An S3 object may be read as plaintext only when it carries no S3 Encryption Client marker
// and has no instruction file: any non-empty subset of the mapkeys (with any values, in any
// case, with or without 'x-amz-meta-') must never classify as plaintext.

const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
const V3 = { 'x-amz-c': '115', 'x-amz-3': b64(184), 'x-amz-w': '12', 'x-amz-t': '{"tenant":"t1"}', 'x-amz-d': b64(28), 'x-amz-i': b64(28) };
const V2 = {
  'x-amz-key-v2': b64(184),
  'x-amz-iv': b64(12),
  'x-amz-cek-alg': 'AES/GCM/NoPadding',
  'x-amz-wrap-alg': 'kms+context',
  'x-amz-tag-len': '128',
  'x-amz-matdesc': '{"aws:x-amz-cek-alg":"AES/GCM/NoPadding"}',
  'x-amz-unencrypted-content-length': '10',
};
const MAPKEYS = [...Object.keys(V3), ...Object.keys(V2), 'x-amz-m', 'x-amz-key', 'x-amz-crypto-instr-file'];
const userKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !k.toLowerCase().startsWith('x-amz-'));
const spelling = (k: string) => fc.constantFrom(k, k.toUpperCase(), `x-amz-meta-${k}`, `X-Amz-Meta-${k}`);

describe('objectState', () => {
  it('complete V2 and V3 metadata is encrypted; no mapkey and no instruction file is plaintext', () => {
    expect(objectState(V3, null)).toBe('encrypted');
    expect(objectState(V2, null)).toBe('encrypted');
    expect(objectState({}, null)).toBe('plaintext');
    expect(objectState(undefined, null)).toBe('plaintext');
    expect(objectState({ 'content-kind': 'visit' }, null)).toBe('plaintext');
    expect(instructionFileNeeded({ 'content-kind': 'visit' })).toBe(true);
    expect(instructionFileNeeded(V3)).toBe(false);
  });

  it('any non-empty subset of the mapkeys, any values and spellings, is never plaintext', () => {
    fc.assert(
      fc.property(
        fc.dictionary(userKey, fc.string(), { maxKeys: 4 }),
        fc.uniqueArray(fc.constantFrom(...MAPKEYS), { minLength: 1 }).chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(spelling(k), fc.string({ maxLength: 40 }))))),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
        (user, entries, instruction) => {
          const metadata = { ...user, ...Object.fromEntries(entries) };
          expect(objectState(metadata, instruction)).not.toBe('plaintext');
        },
      ),
    );
  });

  it('removing a subset of complete metadata gives plaintext only when every mapkey is gone', () => {
    for (const full of [V3, V2] as Record<string, string>[]) {
      fc.assert(
        fc.property(fc.subarray(Object.keys(full)), (removed) => {
          const metadata: Record<string, string> = { ...full, 'content-kind': 'lab' };
          for (const k of removed) delete metadata[k];
          const state = objectState(metadata, null);
          if (removed.length === Object.keys(full).length) expect(state).toBe('plaintext');
          else expect(state).not.toBe('plaintext');
        }),
      );
    }
  });

  it('an instruction file decides an object without a data key; a bad one is tampering', () => {
    const { 'x-amz-c': c, 'x-amz-d': d, 'x-amz-i': i, ...inFile } = V3;
    expect(objectState({ 'x-amz-c': c, 'x-amz-d': d, 'x-amz-i': i }, JSON.stringify(inFile))).toBe('encrypted');
    const { 'x-amz-unencrypted-content-length': _length, ...v2File } = V2;
    expect(objectState({}, JSON.stringify(v2File))).toBe('encrypted');
    expect(objectState({ 'x-amz-c': c, 'x-amz-d': d, 'x-amz-i': i }, null)).toBe('tampered');
    expect(objectState({}, 'not json')).toBe('tampered');
    expect(objectState({}, '{}')).toBe('tampered');
    expect(() => objectState({}, undefined as unknown as null)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(objectState({}, bytes)).not.toBe('plaintext');
      }),
    );
  });
});
