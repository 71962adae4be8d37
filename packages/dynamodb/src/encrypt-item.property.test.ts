import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from './encrypt-item.js';
import type { AttributeMap } from './internal/attribute-codec.js';
import { localEnvelope } from '../test/fixtures.js';
import type { AttributeAction, TableConfig } from './table-config.js';

const envelope = localEnvelope();

const numberString = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
  fc.tuple(fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), fc.integer({ min: -20, max: 20 })).map(([m, e]) => `${m}E${e}`),
);
const bytes = fc.uint8Array({ maxLength: 24 });
const name = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !n.startsWith('phiseal_'));

// Every DynamoDB type, nested maps and lists, empty strings, binaries and sets (empty sets
// are legal inside an encrypted attribute, where DynamoDB never sees them).
const { value: attributeValue } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string().map((S) => ({ S })),
    numberString.map((N) => ({ N })),
    bytes.map((B) => ({ B })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }),
    fc.uniqueArray(fc.string(), { maxLength: 4 }).map((SS) => ({ SS })),
    fc.uniqueArray(fc.integer().map(String), { maxLength: 4 }).map((NS) => ({ NS })),
    fc.array(bytes, { maxLength: 3 }).map((BS) => ({ BS })),
    fc.dictionary(name, tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
  ),
}));

const action = fc.constantFrom<AttributeAction>('encrypt', 'sign', 'plain');

const scenario = fc.record({
  attributes: fc.dictionary(name.filter((n) => n !== 'pk' && n !== 'sk' && n !== 'version'), fc.tuple(attributeValue, action), { maxKeys: 8 }),
  pk: fc.oneof<fc.Arbitrary<AttributeValue>[]>(fc.string({ minLength: 1 }).map((S) => ({ S })), fc.integer().map((n) => ({ N: String(n) }))),
  defaultAction: action,
});

type Scenario = { attributes: Record<string, [AttributeValue, AttributeAction]>; pk: AttributeValue; defaultAction: AttributeAction };

function setup(s: Scenario) {
  const item: AttributeMap = { pk: s.pk, sk: { S: 'k' } };
  const actions: Record<string, AttributeAction> = {};
  for (const [n, [v, a]] of Object.entries(s.attributes)) {
    Object.defineProperty(item, n, { value: v, enumerable: true, writable: true, configurable: true });
    actions[n] = a;
  }
  const config: TableConfig = { tableName: 'prop', partitionKey: 'pk', sortKey: 'sk', actions, defaultAction: s.defaultAction, envelope };
  return { item, config };
}

describe('encryptItem / decryptItem properties', () => {
  it('round-trips arbitrary items of every type', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { item, config } = setup(s);
        expect(await decryptItem(await encryptItem(item, config), config)).toEqual(item);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every single-bit flip of every stored Binary and String value', async () => {
    const config: TableConfig = { tableName: 'flip', partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign' }, envelope };
    const stored = await encryptItem(
      { pk: { S: 'p' }, sk: { S: 's' }, clinic: { S: 'north' }, name: { S: 'Ada' }, dob: { N: '1815' }, tags: { SS: ['x'] } },
      config,
    );
    let flips = 0;
    for (const [attr, value] of Object.entries(stored)) {
      const original = value.B ?? (value.S !== undefined ? Buffer.from(value.S, 'utf8') : undefined);
      if (!original) continue;
      for (let bit = 0; bit < original.length * 8; bit++) {
        const flipped = Buffer.from(original);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const replacement: AttributeValue = value.B ? { B: flipped } : { S: flipped.toString('utf8') };
        if (value.S !== undefined && replacement.S === value.S) continue; // the flip produced invalid UTF-8 that decodes to the same string
        flips++;
        const code = await decryptItem({ ...stored, [attr]: replacement }, config).then(
          () => 'accepted',
          (e: unknown) => (PhisealError.is(e) ? e.code : 'other'),
        );
        // KEY_NOT_ALLOWED: the flip landed in the wrapping key's id, naming a key this provider may not use.
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED'], `${attr} bit ${bit}`).toContain(code);
      }
    }
    expect(flips).toBeGreaterThan(1000);
  });
});
