import { GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import { createTable, dynamoClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf } from '../helpers.js';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../support/java-peer.js';
import { canonical, configureJava } from './support.js';

// Non-ASCII and astral-plane attribute names and map keys across languages. Where UTF-8 byte
// order and UTF-16 code-unit order disagree ("a𝄞" and "a\uFFFD\uFFFD": UTF-16 D834 < FFFD, UTF-8
// F0 > EF) the canonical-path order, the map-key order and the set order all decide the bytes
// that are signed and the AAD of each field, so any disagreement with Java fails here: items
// written by each side are read by the other, under both suites, and a swap of two such
// attributes is refused by both.

let peer: JavaPeer;
let envelope: Envelope;
let table: string;
const key = new Uint8Array(32).fill(5);

const item = (pk: string): Record<string, AttributeValue> => ({
  pk: { S: pk },
  café: { S: 'encrypted, é in the name' },
  'a𝄞': { S: 'astral name' },
  'a\uFFFD\uFFFD': { S: 'BMP name sorting after the astral one in UTF-8 only' },
  'e\u0301': { S: 'combining accent (not normalized)' },
  é: { S: 'precomposed' },
  'Ωmega': { N: '3' },
  '𝄞': {
    M: { '𝄞': { S: 'astral key' }, '\uFFFD': { S: 'replacement key' }, ﬀ: { L: [{ S: 'ligature' }] }, z: { M: { 'ä': { BOOL: true }, 'a\u0308': { NULL: true } } } },
  },
  ߒ: { SS: ['𝄞', '\uFFFD', 'a', 'é', 'e\u0301'] },
  signedMap: { M: { '𝄞': { N: '1' }, '\uFFFD': { N: '2' }, 'ñ': { S: 'ñ' } } },
});

function config(suite: 'committing' | 'committing-signed'): TableConfig {
  return { tableName: table, partitionKey: 'pk', actions: { 'Ωmega': 'sign', signedMap: 'sign' }, algorithmSuite: suite, envelope };
}

beforeAll(async () => {
  peer = await startJavaPeer();
  envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'names-key', key, namespace: 'phiseal-local' }), guard: false });
  table = await createTable({ partitionKey: 'pk' });
});

afterAll(async () => {
  await peer?.close();
});

describe.each(['committing', 'committing-signed'] as const)('Java DB-ESDK interop: non-ASCII names, %s', (suite) => {
  it('items written by each side are read by the other, byte-order cases included', async () => {
    const cfg = config(suite);
    await configureJava(peer, cfg, Object.keys(item('x')), { type: 'raw-aes', namespace: 'phiseal-local', name: 'names-key', key: Buffer.from(key).toString('base64') });
    const mine = await encryptItem(item('n-mine'), cfg);
    expect(canonical(itemFromJson((await peer.ok({ op: 'decrypt', item: itemToJson(mine) }))['item'] as never))).toEqual(canonical(item('n-mine')));
    const theirs = itemFromJson((await peer.ok({ op: 'encrypt', item: itemToJson(item('n-theirs')) }))['item'] as never);
    expect(canonical(await decryptItem(theirs, cfg))).toEqual(canonical(item('n-theirs')));
    const client = withEncryption(dynamoClient(), { tables: { [table]: cfg } });
    await client.send(new PutItemCommand({ TableName: table, Item: item(`ddb-${suite}`) }));
    const got = (await peer.ok({ op: 'get', key: itemToJson({ pk: { S: `ddb-${suite}` } }) }))['item'];
    expect(canonical(itemFromJson(got as never))).toEqual(canonical(item(`ddb-${suite}`)));
    await peer.ok({ op: 'put', item: itemToJson(item(`java-${suite}`)) });
    const read = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `java-${suite}` } }, ConsistentRead: true }));
    expect(canonical(read.Item)).toEqual(canonical(item(`java-${suite}`)));
  });

  it('swapping the values of two non-ASCII attributes is refused by both sides', async () => {
    const cfg = config(suite);
    await configureJava(peer, cfg, Object.keys(item('x')), { type: 'raw-aes', namespace: 'phiseal-local', name: 'names-key', key: Buffer.from(key).toString('base64') });
    for (const stored of [await encryptItem(item('swap'), cfg), itemFromJson((await peer.ok({ op: 'encrypt', item: itemToJson(item('swap')) }))['item'] as never)]) {
      const swapped = { ...stored, 'a𝄞': stored['a\uFFFD\uFFFD']!, 'a\uFFFD\uFFFD': stored['a𝄞']! };
      expect(await codeOf(decryptItem(swapped, cfg))).toBe('DECRYPTION_FAILED');
      expect((await peer.request({ op: 'decrypt', item: itemToJson(swapped) }))['ok']).toBe(false);
      const mapKeys = { ...stored, signedMap: { M: { '𝄞': { N: '2' }, '\uFFFD': { N: '1' }, 'ñ': { S: 'ñ' } } } };
      expect(await codeOf(decryptItem(mapKeys, cfg))).toBe('DECRYPTION_FAILED');
      expect((await peer.request({ op: 'decrypt', item: itemToJson(mapKeys) }))['ok']).toBe(false);
    }
  });
});
