import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveMessageKeys } from './derive.js';

// The one-shot-hash HKDF gives hkdfSync's bytes for any data key.
describe('deriveMessageKeys', () => {
  it('equals HKDF-SHA256 (no salt) of the content-key and commitment labels', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (dataKey) => {
        const hkdf = (info: string): Buffer => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), Buffer.from(info, 'utf8'), 32));
        const { encKey, commitment } = deriveMessageKeys(dataKey);
        expect(encKey.equals(hkdf('phiseal/v1 AES-256-GCM content key'))).toBe(true);
        expect(commitment.equals(hkdf('phiseal/v1 key commitment'))).toBe(true);
      }),
    );
  });
});
