import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from './encrypt-item.js';
import type { AttributeMap } from './internal/attribute-codec.js';
import { serializeAttribute } from './internal/dbesdk/attribute-serialization.js';
import { localEnvelope } from '../test/fixtures.js';
import type { AttributeAction, TableConfig } from './table-config.js';

const envelope = localEnvelope();

const numberString = fc.oneof(
  fc.integer().map(String),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((d) => d === 0 || (Math.abs(d) > 1e-120 && Math.abs(d) < 1e120)) // DynamoDB's range
    .map((d) => String(d)),
  fc.tuple(fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), fc.integer({ min: -20, max: 20 })).map(([m, e]) => `${m}E${e}`),
);
const bytes = fc.uint8Array({ maxLength: 24 });
const name = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !n.startsWith('aws_dbe_'));

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
    fc.uniqueArray(bytes, { maxLength: 3, selector: (b) => Buffer.from(b).toString('hex') }).map((BS) => ({ BS })),
    fc.dictionary(name, tie('value'), { maxKeys: 4 }).map((M) => ({ M })),
    fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
  ),
}));

const action = fc.constantFrom<AttributeAction>('encrypt', 'sign', 'sign-in-context', 'plain');

const scenario = fc.record({
  attributes: fc.dictionary(name.filter((n) => n !== 'pk' && n !== 'sk' && n !== 'version'), fc.tuple(attributeValue, action), { maxKeys: 8 }),
  pk: fc.oneof<fc.Arbitrary<AttributeValue>[]>(fc.string({ minLength: 1 }).map((S) => ({ S })), fc.integer().map((n) => ({ N: String(n) }))),
  defaultAction: fc.constantFrom<AttributeAction>('encrypt', 'sign', 'sign-in-context'),
  signed: fc.boolean(),
});

type Scenario = { attributes: Record<string, [AttributeValue, AttributeAction]>; pk: AttributeValue; defaultAction: AttributeAction; signed: boolean };

function setup(s: Scenario) {
  const item: AttributeMap = { pk: s.pk, sk: { S: 'k' } };
  const actions: Record<string, AttributeAction> = {};
  for (const [n, [v, a]] of Object.entries(s.attributes)) {
    Object.defineProperty(item, n, { value: v, enumerable: true, writable: true, configurable: true });
    actions[n] = a;
  }
  const plain = Object.keys(actions).filter((n) => actions[n] === 'plain');
  const config: TableConfig = {
    tableName: 'prop',
    partitionKey: 'pk',
    sortKey: 'sk',
    actions,
    allowedUnsignedAttributes: plain,
    defaultAction: s.defaultAction,
    algorithmSuite: s.signed ? 'committing-signed' : 'committing',
    envelope,
  };
  return { item, config };
}

// Decryption returns what DynamoDB would: numbers normalized, sets and maps in canonical order.
// Two items are the same when every attribute serializes to the same bytes.
function canonical(item: AttributeMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(item)) {
    const t = serializeAttribute(v);
    Object.defineProperty(out, n, { value: `${t.typeId}:${t.value.toString('hex')}`, enumerable: true });
  }
  return out;
}

describe('encryptItem / decryptItem properties', () => {
  it('round-trips arbitrary items of every type', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { item, config } = setup(s);
        expect(canonical(await decryptItem(await encryptItem(item, config), config))).toEqual(canonical(item));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['committing', { clinic: 'sign' }],
    ['committing-signed', { clinic: 'sign-in-context' }],
  ] as const)('rejects every single-bit flip of every stored Binary and String value (%s)', async (suite, actions) => {
    const config: TableConfig = { tableName: 'flip', partitionKey: 'pk', sortKey: 'sk', actions, algorithmSuite: suite, envelope };
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
