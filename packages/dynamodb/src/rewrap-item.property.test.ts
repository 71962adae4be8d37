import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider, PhisealError } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from './encrypt-item.js';
import type { AttributeMap } from './internal/attribute-codec.js';
import { rewrapItem } from './rewrap-item.js';
import type { AttributeAction, TableConfig } from './table-config.js';

const keyA = new LocalKeyProvider({ keyId: 'key-a', key: new Uint8Array(32).fill(1) });
const keyB = new LocalKeyProvider({ keyId: 'key-b', key: new Uint8Array(32).fill(2) });
const envA = createEnvelope({ keys: keyA, guard: false });
const envB = createEnvelope({ keys: keyB, guard: false });

const name = fc.string({ minLength: 1, maxLength: 10 }).filter((n) => !n.startsWith('aws_dbe_') && n !== 'pk' && n !== 'sk');
const value = fc.oneof<fc.Arbitrary<AttributeValue>[]>(
  fc.string().map((S) => ({ S })),
  fc.integer().map((n) => ({ N: String(n) })),
  fc.uint8Array({ maxLength: 24 }).map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.dictionary(name, fc.string().map((S) => ({ S })), { maxKeys: 3 }).map((M) => ({ M })),
);
const action = fc.constantFrom<AttributeAction>('encrypt', 'sign', 'sign-in-context', 'plain');
const scenario = fc.record({
  attributes: fc.dictionary(name, fc.tuple(value, action), { maxKeys: 6 }),
  signed: fc.boolean(),
});

function setup(s: { attributes: Record<string, [AttributeValue, AttributeAction]>; signed: boolean }) {
  const item: AttributeMap = { pk: { S: 'p' }, sk: { S: 's' } };
  const actions: Record<string, AttributeAction> = {};
  for (const [n, [v, a]] of Object.entries(s.attributes)) {
    Object.defineProperty(item, n, { value: v, enumerable: true, writable: true, configurable: true });
    actions[n] = a;
  }
  const config = (envelope: typeof envA): TableConfig => ({
    tableName: 'prop',
    partitionKey: 'pk',
    sortKey: 'sk',
    actions,
    allowedUnsignedAttributes: Object.keys(actions).filter((n) => actions[n] === 'plain'),
    algorithmSuite: s.signed ? 'committing-signed' : 'committing',
    envelope,
  });
  return { item, from: config(envA), to: config(envB) };
}

describe('rewrapItem properties', () => {
  it('re-keyed arbitrary items decrypt under the new key to what the old key read, and not under the old key', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { item, from, to } = setup(s);
        const stored = await encryptItem(item, from);
        const rekeyed = await rewrapItem(stored, from, { to: keyB });
        expect(await decryptItem(rekeyed, to)).toEqual(await decryptItem(stored, from));
        const old = await decryptItem(rekeyed, from).then(
          () => 'accepted',
          (e: unknown) => (PhisealError.is(e) ? e.code : 'other'),
        );
        expect(old).toBe('KEY_NOT_ALLOWED');
      }),
      { numRuns: 100 },
    );
  });

  it.each(['committing', 'committing-signed'] as const)('rejects every single-bit flip of the new header and footer (%s)', async (suite) => {
    const base = { tableName: 'flip', partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign' as const }, algorithmSuite: suite };
    const stored = await encryptItem({ pk: { S: 'p' }, sk: { S: 's' }, clinic: { S: 'north' }, name: { S: 'Ada' } }, { ...base, envelope: envA });
    const rekeyed = await rewrapItem(stored, { ...base, envelope: envA }, { to: keyB });
    let flips = 0;
    for (const attr of ['aws_dbe_head', 'aws_dbe_foot']) {
      const original = Buffer.from(rekeyed[attr]!.B!);
      for (let bit = 0; bit < original.length * 8; bit++) {
        const flipped = Buffer.from(original);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        flips++;
        const code = await decryptItem({ ...rekeyed, [attr]: { B: flipped } }, { ...base, envelope: envB }).then(
          () => 'accepted',
          (e: unknown) => (PhisealError.is(e) ? e.code : 'other'),
        );
        // KEY_NOT_ALLOWED: the flip landed in the wrapping key's name, naming a key the provider may not use.
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED'], `${attr} bit ${bit}`).toContain(code);
      }
    }
    expect(flips).toBeGreaterThan(2000);
  });
});
