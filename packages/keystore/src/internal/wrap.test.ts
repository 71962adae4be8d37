import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveWrappingKey } from './kdf-ctr.js';
import { splitWrapped, unwrapDataKey, wrapDataKey, WRAPPED_LENGTH } from './wrap.js';

// Known answers made by AWS's own JavaScript hierarchical keyring code
// (@aws-crypto/kms-keyring-node 5.0.2 wrapPlaintextDataKey; test/vectors/hierarchy-edk.json).
type Vector = {
  branchKeyId: string;
  branchKeyVersion: string;
  context: Record<string, string>;
  branchKey: string;
  dataKey: string;
  ciphertext: string;
  salt: string;
  derivedKey: string;
};
const vectors = JSON.parse(readFileSync(new URL('../../test/vectors/hierarchy-edk.json', import.meta.url), 'utf8')) as Vector[];
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('hierarchical keyring wrapping (known answers from the AWS JavaScript keyring)', () => {
  it.each(vectors)('derives the wrapping key and unwraps $branchKeyId', (v) => {
    expect(deriveWrappingKey(hex(v.branchKey), hex(v.salt)).toString('hex')).toBe(v.derivedKey);
    const parts = splitWrapped(hex(v.ciphertext))!;
    expect(parts.version).toBe(v.branchKeyVersion);
    const key = unwrapDataKey(parts, { branchKeyId: v.branchKeyId, key: hex(v.branchKey) }, v.context);
    expect(key?.toString('hex')).toBe(v.dataKey);
  });

  it.each(vectors)('refuses $branchKeyId under another id, context or branch key', (v) => {
    const parts = splitWrapped(hex(v.ciphertext))!;
    const branch = { branchKeyId: v.branchKeyId, key: hex(v.branchKey) };
    expect(unwrapDataKey(parts, { ...branch, branchKeyId: `${v.branchKeyId}x` }, v.context)).toBeUndefined();
    expect(unwrapDataKey(parts, branch, { ...v.context, extra: '1' })).toBeUndefined();
    expect(unwrapDataKey(parts, { ...branch, key: Buffer.alloc(32, 1) }, v.context)).toBeUndefined();
  });

  it('writes the spec layout: salt, IV, version bytes, 32-byte body, tag', () => {
    const v = vectors[1]!;
    const wrapped = wrapDataKey(hex(v.dataKey), { branchKeyId: v.branchKeyId, version: v.branchKeyVersion, key: hex(v.branchKey) }, v.context);
    expect(wrapped).toHaveLength(WRAPPED_LENGTH);
    expect(Buffer.from(wrapped.subarray(28, 44)).toString('hex')).toBe(v.branchKeyVersion.replace(/-/g, ''));
    expect(splitWrapped(wrapped.subarray(1))).toBeUndefined();
    expect(splitWrapped(Buffer.concat([wrapped, Buffer.alloc(1)]))).toBeUndefined();
  });
});
