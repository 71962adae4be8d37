import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeManifestKey } from './decode-manifest-key.js';

// What S3 writes: form encoding of the key's UTF-8 (space as '+', like Python's quote_plus).
const encodePlus = (key: string): string => encodeURIComponent(key).replaceAll('%20', '+');

describe('decodeManifestKey', () => {
  it('decodes the forms AWS writes', () => {
    expect(decodeManifestKey('customerImage1.jpg')).toBe('customerImage1.jpg');
    expect(decodeManifestKey('scans/chest+x-ray.dcm')).toBe('scans/chest x-ray.dcm');
    expect(decodeManifestKey('a%2Bb%20c')).toBe('a+b c');
    expect(decodeManifestKey('r%C3%A9sum%C3%A9%2F%E2%9C%93')).toBe('résumé/✓');
    expect(decodeManifestKey('%F0%9F%A7%AA%2Flab')).toBe('🧪/lab');
    expect(decodeManifestKey('%7B%22origKey%22%3A%20%22object1key%22%7D')).toBe('{"origKey": "object1key"}');
    // Characters that were not encoded stand for themselves (Python's unquote_plus does the same).
    expect(decodeManifestKey('données/été')).toBe('données/été');
  });

  it('refuses what is not a valid encoding instead of guessing', () => {
    for (const bad of ['', '%', 'a%2', 'a%zz', '%C3', '%C3%28', '%FF', '%ED%A0%80', 'lone\uD800']) {
      expect(decodeManifestKey(bad), bad).toBeUndefined();
    }
  });

  it('round-trips every key through the encoding S3 uses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }), (key) => {
        expect(decodeManifestKey(encodePlus(key))).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it('never decodes a changed encoding to the same key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 32 }), fc.nat(), fc.nat(7), (key, at, bit) => {
        const encoded = Buffer.from(encodePlus(key), 'latin1');
        const index = at % encoded.length;
        encoded[index] = encoded[index]! ^ (1 << bit);
        const changed = encoded.toString('latin1');
        const decoded = decodeManifestKey(changed);
        // A flipped bit either breaks the encoding or names another key; '%2b' vs '%2B' are one byte.
        if (decoded !== undefined && changed.toLowerCase() !== encodePlus(key).toLowerCase()) expect(decoded).not.toBe(key);
      }),
      { numRuns: 500 },
    );
  });
});
