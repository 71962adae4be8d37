import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWrappedKeys, encodeWrappedKeys } from './wrapped-keys.js';

const arn = 'arn:aws:kms:us-east-1:012345678901:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const mrk = 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

describe('wrapped-key encoding', () => {
  it('stores KMS key ARNs compactly and reproduces them exactly', () => {
    const keys = [
      { provider: 'aws-kms', keyId: arn, ciphertext: new Uint8Array(184).fill(3) },
      { provider: 'aws-kms', keyId: mrk, ciphertext: new Uint8Array(2) },
      { provider: 'local', keyId: 'dev', ciphertext: new Uint8Array(60) },
      { provider: 'my-hsm', keyId: 'ARN:not-canonical', ciphertext: new Uint8Array(1) },
    ];
    const bytes = encodeWrappedKeys(keys);
    expect(decodeWrappedKeys(bytes)).toEqual(keys);
    // 1 count + (1 provider + 1 form + 1+3 partition + 1+9 region + 5 account + 16 key + 2+184)
    expect(encodeWrappedKeys(keys.slice(0, 1)).length).toBe(224);
  });

  it('keeps non-canonical ARNs (upper-case hex) verbatim', () => {
    const upper = arn.replace('abcd', 'ABCD');
    expect(decodeWrappedKeys(encodeWrappedKeys([{ provider: 'aws-kms', keyId: upper, ciphertext: new Uint8Array(1) }]))[0]?.keyId).toBe(upper);
  });

  it('round-trips arbitrary lists and refuses every truncation and any trailing byte', () => {
    const entry = fc.record({
      provider: fc.oneof(fc.constant('aws-kms'), fc.constant('local'), fc.string({ minLength: 1, maxLength: 20 })),
      keyId: fc.oneof(fc.constant(arn), fc.string({ maxLength: 80 })),
      ciphertext: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (keys) => {
        const bytes = encodeWrappedKeys(keys);
        expect(decodeWrappedKeys(bytes)).toEqual(keys);
        for (let n = 0; n < bytes.length; n++) {
          expect(() => decodeWrappedKeys(bytes.subarray(0, n))).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }));
        }
        expect(() => decodeWrappedKeys(Uint8Array.from([...bytes, 0]))).toThrow(
          expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a compactable ARN stored verbatim (form 0): one encoding per list', () => {
    const id = Buffer.from(arn, 'utf8');
    const verbatim = Buffer.concat([Uint8Array.of(1, 1, 0, id.length >> 8, id.length & 0xff), id, Uint8Array.of(0, 1, 9)]);
    expect(() => decodeWrappedKeys(verbatim)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }));
    // The canonical (compact) encoding of the same list still decodes.
    expect(decodeWrappedKeys(encodeWrappedKeys([{ provider: 'aws-kms', keyId: arn, ciphertext: Uint8Array.of(9) }]))[0]?.keyId).toBe(arn);
  });

  it('refuses an empty list', () => {
    expect(() => encodeWrappedKeys([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
