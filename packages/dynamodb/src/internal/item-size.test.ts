import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSize, sizeOver } from './item-size.js';

// sizeOver settles most items with an upper bound from lengths alone: it must answer exactly
// as the full count does, whatever the text (multi-byte UTF-8, surrogate pairs) and numbers.

const text = fc.string({ unit: 'binary', maxLength: 12 });
const number = fc.constantFrom('0', '1', '-1', '1.50', '01.50E1', '123456789012345678901234567890123456', '1E-130', '9.9E125');
const bytes = fc.uint8Array({ maxLength: 16 });
const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text.map((S) => ({ S })),
    number.map((N) => ({ N })),
    bytes.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true as const }),
    fc.array(text, { maxLength: 4 }).map((SS) => ({ SS })),
    fc.array(number, { maxLength: 4 }).map((NS) => ({ NS })),
    fc.array(bytes, { maxLength: 3 }).map((BS) => ({ BS })),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
  ),
}));
const item = fc.dictionary(text, value, { maxKeys: 6 });

describe('sizeOver', () => {
  it('gives the exact size exactly when it is over the limit, whatever the limit', () => {
    fc.assert(
      fc.property(item, fc.integer({ min: -2, max: 2 }), fc.nat(2000), (it, delta, other) => {
        const size = itemSize(it);
        for (const limit of [size + delta, other]) expect(sizeOver(it, limit)).toBe(size > limit ? size : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts multi-byte text and numbers as DynamoDB does near the limit', () => {
    const big = { n: { S: 'é'.repeat(1000) }, k: { N: '01.50' } };
    expect(itemSize(big)).toBe(1 + 2000 + 1 + 2);
    expect(sizeOver(big, 2003)).toBe(2004);
    expect(sizeOver(big, 2004)).toBeUndefined();
  });
});
