import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable } from '@phiseal/test-support';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEncryption, type AttributeAction, type TableConfig } from '@phiseal/dynamodb';
import { serializeAttribute } from '../src/internal/dbesdk/attribute-serialization.js';
import { kmsEnvelope, rawClient } from './helpers.js';

// Arbitrary items through a real (emulated) DynamoDB: every type, nested maps and lists, and
// empty sets where legal (inside encrypted attributes only; DynamoDB refuses them elsewhere).

let table: string;
let config: TableConfig;

const bytes = fc.uint8Array({ minLength: 0, maxLength: 16 });
const key = fc.string({ minLength: 1, maxLength: 8 }).filter((n) => !n.startsWith('aws_dbe_'));

function values(allowEmptySets: boolean): fc.Arbitrary<AttributeValue> {
  const setLength = { minLength: allowEmptySets ? 0 : 1, maxLength: 4 };
  return fc.letrec<{ v: AttributeValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.string().map((S) => ({ S })),
      fc.integer().map((n) => ({ N: String(n) })),
      (allowEmptySets
        ? fc
            .double({ noNaN: true, noDefaultInfinity: true })
            .filter((d) => d === 0 || (Math.abs(d) > 1e-120 && Math.abs(d) < 1e120))
            .map((d) => ({ N: String(d) })) : fc.integer().map((n) => ({ N: String(n) }))),
      bytes.map((B) => ({ B })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: true as const }),
      fc.uniqueArray(fc.string(), setLength).map((SS) => ({ SS })),
      fc.uniqueArray(fc.integer(), setLength).map((ns) => ({ NS: ns.map(String) })),
      fc.uniqueArray(bytes, { ...setLength, selector: (b) => Buffer.from(b).toString('hex') }).map((BS) => ({ BS })),
      fc.dictionary(key, tie('v'), { maxKeys: 3 }).map((M) => ({ M })),
      fc.array(tie('v'), { maxLength: 3 }).map((L) => ({ L })),
    ),
  })).v;
}

const attribute = fc.oneof(
  fc.tuple(values(true), fc.constant<AttributeAction>('encrypt')),
  fc.tuple(values(false), fc.constantFrom<AttributeAction>('sign', 'sign-in-context', 'plain')),
);

// Sets come back in any order and numbers normalized: compare the DB-ESDK serializations.
function sorted(v: AttributeValue): string {
  const t = serializeAttribute(v);
  return `${t.typeId}:${t.value.toString('hex')}`;
}

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk' });
  config = { tableName: table, partitionKey: 'pk', envelope: await kmsEnvelope({ guard: false }) };
});

describe('arbitrary items through DynamoDB', () => {
  it('round-trip with every action', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key.filter((k) => k !== 'pk' && k !== 'version'), attribute, { maxKeys: 6 }), async (attrs) => {
        const actions = Object.fromEntries(Object.entries(attrs).map(([k, [, a]]) => [k, a]));
        const plain = Object.keys(actions).filter((k) => actions[k] === 'plain');
        const c: TableConfig = { ...config, actions, allowedUnsignedAttributes: plain };
        const client = withEncryption(rawClient(), { tables: { [table]: c } });
        const item: Record<string, AttributeValue> = { pk: { S: `rt-${n++}` } };
        for (const [k, [v]] of Object.entries(attrs)) Object.defineProperty(item, k, { value: v, enumerable: true });
        await client.send(new PutItemCommand({ TableName: table, Item: item }));
        const got = await client.send(new GetItemCommand({ TableName: table, Key: { pk: item['pk']! }, ConsistentRead: true }));
        const normalize = (i: Record<string, AttributeValue>) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, sorted(v)]));
        expect(normalize(got.Item ?? {})).toEqual(normalize(item));
      }),
      { numRuns: 40 },
    );
  });
});
