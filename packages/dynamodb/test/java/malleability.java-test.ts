import { type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import { createTable } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { codeOf } from '../helpers.js';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../support/java-peer.js';
import { canonical, configureJava } from './support.js';

// Which changes to a stored item both implementations accept (docs/dynamodb-format.md
// "Malleability"): each is either outside the signature by the DB-ESDK's design or a change
// of spelling that DynamoDB itself does not preserve; phiseal and the Java DB-ESDK 3.9.0
// agree on every case, and on the refusals next to them.

let peer: JavaPeer;
let envelope: Envelope;
let table: string;
const key = new Uint8Array(32).fill(6);

const plain: Record<string, AttributeValue> = {
  pk: { S: 'm-1' },
  name: { S: 'Ada' },
  clinic: { S: 'north' },
  score: { N: '1.5' },
  codes: { SS: ['a', 'b', 'c'] },
  meta: { M: { x: { N: '1' }, y: { S: 'z' } } },
  note: { S: 'plain' },
};

const config = (): TableConfig => ({
  tableName: table,
  partitionKey: 'pk',
  actions: { clinic: 'sign', score: 'sign', codes: 'sign', meta: 'sign', note: 'plain' },
  allowedUnsignedAttributes: ['note'],
  envelope,
});

beforeAll(async () => {
  peer = await startJavaPeer();
  envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'm-key', key }), guard: false });
  table = await createTable({ partitionKey: 'pk' });
  await configureJava(peer, config(), Object.keys(plain), { type: 'raw-aes', namespace: 'phiseal-local', name: 'm-key', key: Buffer.from(key).toString('base64') });
});

afterAll(async () => {
  await peer?.close();
});

async function both(item: Record<string, AttributeValue>): Promise<{ phiseal: Record<string, AttributeValue> | string; java: Record<string, AttributeValue> | string }> {
  let phiseal: Record<string, AttributeValue> | string;
  try {
    phiseal = await decryptItem(item, config());
  } catch {
    phiseal = (await codeOf(decryptItem(item, config()))) ?? 'refused';
  }
  const reply = await peer.request({ op: 'decrypt', item: itemToJson(item) });
  const java = reply['ok'] === true ? itemFromJson(reply['item'] as never) : 'refused';
  return { phiseal, java };
}

describe('malleability: what both implementations accept, and what they refuse', () => {
  it.each([
    ['phiseal', () => encryptItem(plain, config())],
    ['Java', async () => itemFromJson((await peer.ok({ op: 'encrypt', item: itemToJson(plain) }))['item'] as never)],
  ])('on an item written by %s', async (_who, write) => {
    const stored = await write();
    const accepted = async (changed: Record<string, AttributeValue>, expected: Record<string, AttributeValue>): Promise<void> => {
      const r = await both(changed);
      expect(typeof r.phiseal === 'string' ? r.phiseal : canonical(r.phiseal)).toEqual(canonical(expected));
      expect(typeof r.java === 'string' ? r.java : canonical(r.java)).toEqual(canonical(expected));
    };
    const refused = async (changed: Record<string, AttributeValue>): Promise<void> => {
      const r = await both(changed);
      expect(r.phiseal).toBe('DECRYPTION_FAILED');
      expect(r.java).toBe('refused');
    };
    // By design (ddb-item-encryptor.md "signature scope", ddb-support.md RemoveBeacons):
    // a DO_NOTHING attribute is not authenticated, and aws_dbe_* attributes other than the
    // header and footer are unauthenticated and never returned.
    await accepted({ ...stored, note: { S: 'changed' } }, { ...plain, note: { S: 'changed' } });
    await accepted({ ...stored, aws_dbe_head_2: { B: new Uint8Array([1]) }, aws_dbe_zzz: { S: 'x' } }, plain);
    // Spelling DynamoDB does not keep: a signed number is signed normalized, a set is signed
    // sorted, a map by its keys (ddb-attribute-serialization.md); DynamoDB itself stores the
    // same value for each spelling below.
    await accepted({ ...stored, score: { N: '01.50E0' } }, plain);
    await accepted({ ...stored, codes: { SS: ['c', 'a', 'b'] } }, plain);
    await accepted({ ...stored, meta: { M: { y: { S: 'z' }, x: { N: '1.0' } } } }, plain);
    // Everything else is refused by both.
    await refused({ ...stored, clinic: { S: 'south' } });
    await refused({ ...stored, score: { N: '1.51' } });
    await refused({ ...stored, codes: { SS: ['a', 'b'] } });
    await refused({ ...stored, meta: { M: { x: { N: '1' } } } });
    await refused({ ...stored, extra: { S: 'added signed attribute' } });
    const { name: _n, ...withoutName } = stored;
    await refused(withoutName);
    await refused({ ...stored, name: stored['clinic']!, clinic: stored['name']! });
    await refused({ ...stored, AWS_DBE_HEAD: stored['aws_dbe_head']! });
  });
});
