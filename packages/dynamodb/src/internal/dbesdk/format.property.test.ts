import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deserializeAttribute } from './attribute-deserialization.js';
import { serializeAttribute } from './attribute-serialization.js';
import { parseFooter } from './footer.js';
import { commitment, parseHeader, serializePartialHeader } from './header.js';
import { normalizeNumber } from '../number-normalize.js';
import { numberText } from './number-text.js';
import { SUITE_COMMITTING, SUITE_SIGNED } from './suites.js';

// The format's parsers against arbitrary and hostile bytes: they either parse or throw a
// RangeError (mapped to the one decryption failure), never anything else, and what is
// serialized parses back to the same thing.

const bytes = fc.uint8Array({ maxLength: 16 });
const { value: attributeValue } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string().map((S) => ({ S })),
    fc.integer().map((n) => ({ N: String(n) })),
    bytes.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true as const }),
    fc.uniqueArray(fc.string(), { maxLength: 4 }).map((SS) => ({ SS })),
    fc.uniqueArray(fc.integer(), { maxLength: 4 }).map((ns) => ({ NS: ns.map(String) })),
    fc.uniqueArray(bytes, { maxLength: 3, selector: (b) => Buffer.from(b).toString('hex') }).map((BS) => ({ BS })),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
  ),
}));

const onlyRangeErrors = (fn: () => unknown): void => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
  }
};

describe('DB-ESDK format modules', () => {
  it('serialization is canonical: deserialize(serialize(v)) serializes to the same bytes', () => {
    fc.assert(
      fc.property(attributeValue, (v) => {
        const t = serializeAttribute(v);
        const again = serializeAttribute(deserializeAttribute(t.typeId, t.value));
        expect(again.typeId).toBe(t.typeId);
        expect(again.value.equals(t.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('deserializing arbitrary bytes under any type id parses or throws RangeError', () => {
    const typeIds = [0, 1, 2, 4, 0x101, 0x102, 0x1ff, 0x200, 0x300, 0xffff, 0x0003, 0x1234];
    fc.assert(
      fc.property(fc.constantFrom(...typeIds), fc.uint8Array({ maxLength: 64 }), (typeId, b) => onlyRangeErrors(() => deserializeAttribute(typeId, b))),
      { numRuns: 2000 },
    );
  });

  it('headers round-trip, and arbitrary or mutated header bytes parse or throw RangeError', () => {
    const header = fc.record({
      version: fc.constantFrom<1 | 2>(1, 2),
      suite: fc.constantFrom(SUITE_COMMITTING, SUITE_SIGNED),
      messageId: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b)),
      legend: fc.array(fc.constantFrom(0x65, 0x73, 0x63), { maxLength: 8 }).map((b) => Buffer.from(b)),
      storedContext: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
      dataKeys: fc.array(
        fc.record({ providerId: fc.string({ maxLength: 8 }), providerInfo: bytes.map((b) => Buffer.from(b)), ciphertext: bytes.map((b) => Buffer.from(b)) }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(header, fc.nat(), fc.nat(255), (h, at, value) => {
        const partial = serializePartialHeader(h);
        const full = Buffer.concat([partial, commitment(Buffer.alloc(32, 1), partial)]);
        const parsed = parseHeader(full);
        expect(parsed.partial.equals(partial)).toBe(true);
        expect(parsed.dataKeys.length).toBe(h.dataKeys.length);
        const mutated = Buffer.from(full);
        mutated[at % mutated.length] = value;
        onlyRangeErrors(() => parseHeader(mutated));
        onlyRangeErrors(() => parseHeader(full.subarray(0, at % full.length)));
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyRangeErrors(() => parseHeader(b))), { numRuns: 2000 });
  });

  it('footers of the wrong length are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (length, tags, signed) => {
        const expected = tags * 48 + (signed ? 103 : 0);
        if (length === expected) expect(parseFooter(Buffer.alloc(length), tags, signed).tags).toHaveLength(tags);
        else expect(() => parseFooter(Buffer.alloc(length), tags, signed)).toThrow(RangeError);
      }),
    );
  });

  it('numbers: DynamoDB spellings normalize; values outside its range or precision are refused', () => {
    expect(numberText('01.50E1')).toBe('15');
    expect(numberText('-0.000')).toBe('0');
    expect(numberText('1E-130')).toBe(`0.${'0'.repeat(129)}1`);
    expect(numberText('9.9999999999999999999999999999999999999E+125')).toMatch(/^99999999999999999999999999999999999999(0+)$/);
    for (const bad of ['1E-131', '1E126', '1.23456789012345678901234567890123456789', 'abc', '', '1e500', 'NaN', '--1', '1.2.3']) {
      expect(() => numberText(bad), bad).toThrow();
    }
  });

  it('numbers: every accepted spelling gives normalizeNumber\'s, and a normalized one is kept as written', () => {
    const digits = (max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom('0', '1', '5', '9'), { maxLength: max }).map((d) => d.join(''));
    const exponent = fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 140 })).map(([e, s, n]) => `${e}${s}${n}`), { nil: '' });
    const spelling = fc.tuple(fc.constantFrom('', '-', '+'), digits(40), fc.boolean(), digits(40), exponent).map(([sign, int, point, frac, exp]) => `${sign}${int}${point ? '.' : ''}${frac}${exp}`);
    fc.assert(
      fc.property(spelling, (value) => {
        let text: string;
        try {
          text = numberText(value);
        } catch {
          return; // refused: the examples above cover which
        }
        expect(text).toBe(normalizeNumber(value));
        expect(numberText(text)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
