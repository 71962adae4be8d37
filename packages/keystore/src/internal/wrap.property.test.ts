import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitWrapped, unwrapDataKey, wrapDataKey } from './wrap.js';

const version = fc.uuid({ version: 4 });
const context = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 12 }), { maxKeys: 5 });
const id = fc.string({ minLength: 1, maxLength: 40 });

describe('hierarchical wrapping (properties)', () => {
  it('round-trips any data key under any id, version and context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), id, version, context, (dataKey, branchKeyId, v, ctx) => {
        const key = randomBytes(32);
        const wrapped = wrapDataKey(dataKey, { branchKeyId, version: v, key }, ctx);
        const parts = splitWrapped(wrapped)!;
        expect(parts.version).toBe(v);
        expect(unwrapDataKey(parts, { branchKeyId, key }, ctx)?.equals(Buffer.from(dataKey))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects every single-bit flip of a wrapped key', () => {
    const key = randomBytes(32);
    const branch = { branchKeyId: 'tenant-7', version: '0e1d2c3b-4a59-4687-a5b4-c3d2e1f00f1e', key };
    const ctx = { tenant: 'clinic-17' };
    const wrapped = Buffer.from(wrapDataKey(randomBytes(32), branch, ctx));
    for (let bit = 0; bit < wrapped.length * 8; bit++) {
      const flipped = Buffer.from(wrapped);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      // a flipped version byte names another version: the unwrap under this key must still fail
      expect(unwrapDataKey(splitWrapped(flipped)!, branch, ctx)).toBeUndefined();
    }
  });
});
