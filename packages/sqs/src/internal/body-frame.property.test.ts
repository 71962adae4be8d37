import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageAttribute } from '../types.js';
import { decodeFrame, encodeFrame } from './body-frame.js';

const name = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,30}$/);
const attribute: fc.Arbitrary<MessageAttribute> = fc.oneof(
  fc.record({ DataType: fc.constantFrom('String', 'Number', 'String.x'), StringValue: fc.string({ unit: 'grapheme', maxLength: 200 }) }),
  fc.record({ DataType: fc.constantFrom('Binary', 'Binary.raw'), BinaryValue: fc.uint8Array({ maxLength: 200 }) }),
);

describe('body frame round trip', () => {
  it('decodes what it encodes, for arbitrary bodies and up to 10 attributes', () => {
    fc.assert(
      fc.property(fc.constantFrom('body' as const, 'sealedAttributes' as const), fc.dictionary(name, attribute, { maxKeys: 10 }), fc.uint8Array({ maxLength: 4096 }), (kind, attributes, body) => {
        const decoded = decodeFrame(kind, encodeFrame(kind, attributes, body));
        expect(Buffer.from(decoded.body).equals(Buffer.from(body))).toBe(true);
        expect(decoded.attributes).toEqual({ ...attributes });
      }),
      { numRuns: 300 },
    );
  });
});
