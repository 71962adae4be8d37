import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, MultiKeyProvider, type Envelope } from '@phiseal/core';
import { createKmsKey, createTable, dynamoClient, kmsClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf } from '../helpers.js';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../support/java-peer.js';
import { canonical, configureJava, everyType } from './support.js';

// phiseal and the Java DB-ESDK 3.9.0 on one table in the emulator, with the KMS keyring on one
// side and KmsKeyProvider on the other: items written by either are read by the other, through
// the item encryptor and through the DynamoDB interceptor, for both suites and both header
// versions; tampered items are refused by both.

let peer: JavaPeer;
let envelope: Envelope;
let keyArn: string;
let table: string;

const layouts = [
  { id: 'v1 committing', suite: 'committing', actions: { clinic: 'sign', region: 'sign', flag: 'sign', note: 'plain' } },
  { id: 'v1 signed', suite: 'committing-signed', actions: { clinic: 'sign', region: 'sign', flag: 'sign', note: 'plain' } },
  { id: 'v2 committing', suite: 'committing', actions: { clinic: 'sign-in-context', region: 'sign-in-context', flag: 'sign-in-context', note: 'plain' } },
  { id: 'v2 signed', suite: 'committing-signed', actions: { clinic: 'sign-in-context', region: 'sign', flag: 'sign-in-context', note: 'plain' } },
] as const;

function configOf(layout: (typeof layouts)[number]): TableConfig {
  return { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: layout.actions, allowedUnsignedAttributes: ['note'], algorithmSuite: layout.suite, envelope };
}

const javaItem = async (op: string, item: Record<string, AttributeValue>): Promise<Record<string, AttributeValue>> =>
  itemFromJson((await peer.ok({ op, item: itemToJson(item) }))['item'] as never);

beforeAll(async () => {
  peer = await startJavaPeer();
  keyArn = await createKmsKey('dbesdk interop');
  envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }), guard: false });
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
});

afterAll(async () => {
  await peer?.close();
});

describe.each(layouts)('Java DB-ESDK interop, $id', (layout) => {
  const attributes = Object.keys(everyType('x'));

  it('item encryptor: phiseal encrypts, Java decrypts; Java encrypts, phiseal decrypts', async () => {
    const config = configOf(layout);
    await configureJava(peer, config, attributes, { type: 'kms', keyArn });
    const plain = everyType(`enc-${layout.id}`);
    const mine = await encryptItem(plain, config);
    expect(canonical(await javaItem('decrypt', mine))).toEqual(canonical(plain));
    const theirs = await javaItem('encrypt', plain);
    expect(theirs['aws_dbe_head']?.B?.[1]).toBe(layout.suite === 'committing' ? 0 : 1);
    expect(canonical(await decryptItem(theirs, config))).toEqual(canonical(plain));
  });

  it('DynamoDB: phiseal puts, the Java interceptor gets; the Java interceptor puts, phiseal gets', async () => {
    const config = configOf(layout);
    await configureJava(peer, config, attributes, { type: 'kms', keyArn });
    const client = withEncryption(dynamoClient(), { tables: { [table]: config } });
    const ours = everyType(`ddb-ours-${layout.id}`);
    await client.send(new PutItemCommand({ TableName: table, Item: ours }));
    const got = (await peer.ok({ op: 'get', key: itemToJson({ pk: ours['pk']!, sk: ours['sk']! }) }))['item'];
    expect(canonical(itemFromJson(got as never))).toEqual(canonical(ours));
    const theirs = everyType(`ddb-theirs-${layout.id}`);
    await peer.ok({ op: 'put', item: itemToJson(theirs) });
    const read = await client.send(new GetItemCommand({ TableName: table, Key: { pk: theirs['pk']!, sk: theirs['sk']! }, ConsistentRead: true }));
    expect(canonical(read.Item)).toEqual(canonical(theirs));
  });

  it('both refuse a changed, removed, swapped or added signed attribute', async () => {
    const config = configOf(layout);
    await configureJava(peer, config, [...attributes, 'added'], { type: 'kms', keyArn });
    const a = await encryptItem(everyType(`neg-a-${layout.id}`), config);
    const b = await javaItem('encrypt', { ...everyType(`neg-b-${layout.id}`), name: { S: 'Grace Hopper' } });
    const cases: Record<string, Record<string, AttributeValue>> = {
      'changed signed': { ...a, clinic: { S: 'south' } },
      'removed signed': Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'region')),
      'removed encrypted': Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'age')),
      'swapped between attributes': { ...a, name: a['tags']!, tags: a['name']! },
      'swapped between items': { ...a, name: b['name']! },
      'header of another item': { ...a, aws_dbe_head: b['aws_dbe_head']! },
      'added signed attribute': { ...a, added: { S: 'x' } },
      'moved to another key': { ...a, pk: { S: 'someone-else' } },
    };
    for (const [label, item] of Object.entries(cases)) {
      expect([label, await codeOf(decryptItem(item, config))]).toEqual([label, 'DECRYPTION_FAILED']);
      const reply = await peer.request({ op: 'decrypt', item: itemToJson(item) });
      expect([label, reply['ok']]).toEqual([label, false]);
    }
    // Through DynamoDB: a tampered stored item is refused by the interceptor and by phiseal.
    const key = { pk: { S: `neg-ddb-${layout.id}` }, sk: { S: 'visit-1' } };
    const stored = await encryptItem({ ...everyType('unused'), ...key }, config);
    await dynamoClient().send(new PutItemCommand({ TableName: table, Item: { ...stored, clinic: { S: 'tampered' } } }));
    expect((await peer.request({ op: 'get', key: itemToJson(key) }))['ok']).toBe(false);
    const client = withEncryption(dynamoClient(), { tables: { [table]: config } });
    expect(await codeOf(client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true })))).toBe('DECRYPTION_FAILED');
    await dynamoClient().send(new DeleteItemCommand({ TableName: table, Key: key }));
  });
});

describe('Java DB-ESDK interop, configuration variants', () => {
  it('a logical table name and an allowed-unsigned prefix are honoured the same way', async () => {
    const config: TableConfig = {
      tableName: table,
      logicalTableName: 'patients-logical',
      partitionKey: 'pk',
      sortKey: 'sk',
      actions: { clinic: 'sign' },
      allowedUnsignedAttributePrefix: 'tmp_',
      envelope,
    };
    const item = { pk: { S: 'variant' }, sk: { S: 'v' }, clinic: { S: 'c' }, secret: { S: 's' }, tmp_cache: { S: 'unsigned' } };
    await configureJava(peer, config, Object.keys(item), { type: 'kms', keyArn });
    const mine = await encryptItem(item, config);
    expect(canonical(await javaItem('decrypt', { ...mine, tmp_cache: { S: 'changed freely' } }))).toEqual(canonical({ ...item, tmp_cache: { S: 'changed freely' } }));
    const theirs = await javaItem('encrypt', item);
    expect(canonical(await decryptItem(theirs, config))).toEqual(canonical(item));
    expect(await codeOf(decryptItem(theirs, { ...config, logicalTableName: table }))).toBe('DECRYPTION_FAILED');
  });

  it('an item keyed by a Number and a Binary sort key', async () => {
    const numbered = await createTable({ partitionKey: 'pk' });
    const config: TableConfig = { tableName: numbered, partitionKey: 'pk', sortKey: 'sk', envelope };
    const item = { pk: { N: '12.50' }, sk: { B: new Uint8Array([1, 2, 3]) }, v: { S: 'x' } };
    await configureJava(peer, config, Object.keys(item), { type: 'kms', keyArn });
    expect(canonical(await javaItem('decrypt', await encryptItem(item, config)))).toEqual(canonical(item));
    expect(canonical(await decryptItem(await javaItem('encrypt', item), config))).toEqual(canonical(item));
  });

  it('MultiKeyProvider and the multi-keyring: every recipient reads, on both sides', async () => {
    const second = await createKmsKey('dbesdk interop second');
    const multi = createEnvelope({
      keys: new MultiKeyProvider([new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }), new KmsKeyProvider({ keyId: second, client: kmsClient() })]),
      guard: false,
    });
    const onlySecond = createEnvelope({ keys: new KmsKeyProvider({ keyId: second, client: kmsClient() }), guard: false });
    const config: TableConfig = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign' }, envelope: multi };
    const item = { pk: { S: 'multi' }, sk: { S: 'm' }, clinic: { S: 'c' }, secret: { S: 's' } };
    const attributes = Object.keys(item);
    const mine = await encryptItem(item, config);
    expect(mine['aws_dbe_foot']?.B).toHaveLength(96); // one recipient tag per data key
    await configureJava(peer, config, attributes, { type: 'multi', children: [{ type: 'kms', keyArn }, { type: 'kms', keyArn: second }] });
    expect(canonical(await javaItem('decrypt', mine))).toEqual(canonical(item));
    const theirs = await javaItem('encrypt', item);
    expect(canonical(await decryptItem(theirs, config))).toEqual(canonical(item));
    expect(canonical(await decryptItem(theirs, { ...config, envelope: onlySecond }))).toEqual(canonical(item));
    await configureJava(peer, config, attributes, { type: 'kms', keyArn: second });
    expect(canonical(await javaItem('decrypt', mine))).toEqual(canonical(item));
  });

  it('LocalKeyProvider and the raw AES keyring read each other', async () => {
    const key = Buffer.alloc(32, 0x33);
    const local = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'aes-key-1', namespace: 'clinic-keys', key }), guard: false });
    const config: TableConfig = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign-in-context' }, algorithmSuite: 'committing-signed', envelope: local };
    const item = everyType('raw-aes');
    await configureJava(peer, config, Object.keys(item), { type: 'raw-aes', namespace: 'clinic-keys', name: 'aes-key-1', key: key.toString('base64') });
    const mine = await encryptItem(item, config);
    expect(canonical(await javaItem('decrypt', mine))).toEqual(canonical(item));
    expect(canonical(await decryptItem(await javaItem('encrypt', item), config))).toEqual(canonical(item));
  });
});
