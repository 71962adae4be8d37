import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, KmsKeyProvider, type AuditEvent, type Envelope } from '@phiseal/core';
import { createKmsKey, createTable, kmsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptItem, encryptedTable, encryptItem, itemState, withEncryption, type EncryptedTable, type PlaintextPolicy, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient, rawClient } from './helpers.js';

// The DB-ESDK's order of deployment for an existing table, with several services each on
// their own stage: (1) every reader on 'write-plaintext' while writers still write
// plaintext, (2) writers to 'write-encrypted', (3) after the bulk migration, everyone to
// 'encrypted-only'. At each step every reader is asked what it sees.

type Service = { envelope: Envelope; events: AuditEvent[]; table: EncryptedTable; config: TableConfig };

let tableName: string;
let keyId: string;
const raw = rawClient();

const record = (id: string, name: string) => ({ pk: id, clinic: 'north', name, dob: '1815-12-10' });

function service(policy: PlaintextPolicy | undefined): Service {
  const events: AuditEvent[] = [];
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), audit: (e) => events.push(e) });
  const config: TableConfig = {
    tableName,
    partitionKey: 'pk',
    actions: { clinic: 'sign' },
    envelope,
    ...(policy === undefined ? {} : { plaintextPolicy: policy }),
  };
  return { envelope, events, config, table: encryptedTable({ ...config, client: rawClient() }) };
}

// A service that does not use phiseal: a plain DocumentClient.
async function legacyPut(item: Record<string, unknown>, table = tableName): Promise<void> {
  await docClient().send(new PutCommand({ TableName: table, Item: item }));
}

// Wire form of a record of strings.
const wire = (item: Record<string, string>): Record<string, AttributeValue> => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }]));

async function stored(id: string): Promise<Record<string, AttributeValue>> {
  const out = await raw.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: id } } }));
  return out.Item ?? {};
}

async function storeRaw(item: Record<string, AttributeValue>): Promise<void> {
  await raw.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

const plaintextReads = (s: Service) => s.events.filter((e) => e.operation === 'dynamodb.plaintextRead');

beforeAll(async () => {
  tableName = await createTable({ partitionKey: 'pk' });
  keyId = await createKmsKey('phiseal switch-over test');
});

describe('the three stages in the order of deployment', () => {
  it('readers first, then writers, then migration, then encrypted-only', async () => {
    // Before anything: a legacy service writes plaintext; a reader still on the default refuses it.
    await legacyPut(record('s-legacy', 'Ada Lovelace'));
    const unprepared = service(undefined);
    expect(await codeOf(unprepared.table.get({ pk: 's-legacy' }))).toBe('PLAINTEXT_REFUSED');

    // Step 1: every reader deployed on 'write-plaintext'; the writers still write plaintext (one through phiseal).
    const reader = service('write-plaintext');
    const writer = service('write-plaintext');
    await writer.table.put(record('s-1', 'Grace Hopper'));
    expect(itemState(await stored('s-1'))).toBe('plaintext');
    expect(await reader.table.get({ pk: 's-legacy' })).toEqual(record('s-legacy', 'Ada Lovelace'));
    expect(await reader.table.get({ pk: 's-1' })).toEqual(record('s-1', 'Grace Hopper'));

    // Step 2: writers move to 'write-encrypted'; a reader still on step 1 reads both.
    const writer2 = service('write-encrypted');
    await writer2.table.put(record('s-2', 'Mary Jackson'));
    expect(itemState(await stored('s-2'))).toBe('encrypted');
    expect((await stored('s-2'))['name']?.B).toBeInstanceOf(Uint8Array);
    for (const r of [reader, writer2]) {
      expect(await r.table.get({ pk: 's-1' })).toEqual(record('s-1', 'Grace Hopper'));
      expect(await r.table.get({ pk: 's-2' })).toEqual(record('s-2', 'Mary Jackson'));
    }
    // An update through the new writer turns a plaintext item into an encrypted one.
    await writer2.table.update({ pk: 's-1' }, { name: 'Grace B. Hopper' });
    expect(itemState(await stored('s-1'))).toBe('encrypted');
    expect((await reader.table.get({ pk: 's-1' }))?.['name']).toBe('Grace B. Hopper');

    // The bulk migration (what @phiseal/migrate does): each plaintext item encrypted in place.
    for (const id of ['s-legacy']) {
      const item = await stored(id);
      if (itemState(item) === 'plaintext') await storeRaw(await encryptItem(item, writer2.config));
    }

    // Step 3: everyone on 'encrypted-only' reads everything; a plaintext item written now is refused.
    const final = service('encrypted-only');
    for (const id of ['s-legacy', 's-1', 's-2']) expect(itemState(await stored(id))).toBe('encrypted');
    expect((await final.table.get({ pk: 's-legacy' }))?.['name']).toBe('Ada Lovelace');
    expect((await final.table.get({ pk: 's-2' }))?.['name']).toBe('Mary Jackson');
    await legacyPut(record('s-late', 'Late Writer'));
    expect(await codeOf(final.table.get({ pk: 's-late' }))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(unprepared.table.get({ pk: 's-late' }))).toBe('PLAINTEXT_REFUSED');
  });
});

describe('stripped and half-encrypted items', () => {
  let encrypted: Record<string, AttributeValue>;
  const stages: PlaintextPolicy[] = ['write-plaintext', 'write-encrypted', 'read-both', 'encrypted-only'];

  beforeAll(async () => {
    await service('encrypted-only').table.put(record('x-source', 'Katherine Johnson'));
    encrypted = await stored('x-source');
  });

  const without = (names: string[], id: string): Record<string, AttributeValue> => {
    const out: Record<string, AttributeValue> = { ...encrypted, pk: { S: id } };
    for (const n of names) delete out[n];
    return out;
  };

  it('a stripped item is PLAINTEXT_REFUSED under encrypted-only and read as plaintext (ciphertext bytes) by the reading stages', async () => {
    await storeRaw(without(['aws_dbe_head', 'aws_dbe_foot'], 'x-stripped'));
    expect(await codeOf(service('encrypted-only').table.get({ pk: 'x-stripped' }))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(service(undefined).table.get({ pk: 'x-stripped' }))).toBe('PLAINTEXT_REFUSED');
    // The documented limit: with every format attribute gone, the item is indistinguishable
    // from plaintext. What comes back is the ciphertext bytes, never the name.
    const seen = await service('write-encrypted').table.get({ pk: 'x-stripped' });
    expect(seen?.['name']).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(seen?.['name'] as Uint8Array).toString('utf8')).not.toContain('Katherine');
  });

  it('an item with some but not all format attributes is refused in every stage, on every read path', async () => {
    await storeRaw(without(['aws_dbe_foot'], 'x-no-foot'));
    await storeRaw(without(['aws_dbe_head'], 'x-no-head'));
    await storeRaw({ pk: { S: 'x-beacon' }, name: { S: 'Plain Name' }, aws_dbe_b_name: { S: '3a' } });
    const ids = ['x-no-foot', 'x-no-head', 'x-beacon'];
    for (const stage of stages) {
      const s = service(stage);
      const doc = withEncryption(docClient(), { tables: { [tableName]: s.config } });
      for (const id of ids) {
        const refused = 'DECRYPTION_FAILED';
        expect(await codeOf(s.table.get({ pk: id })), `${stage} get ${id}`).toBe(refused);
        expect(await codeOf(s.table.batchGet([{ pk: id }])), `${stage} batchGet ${id}`).toBe(refused);
        expect(await codeOf(s.table.transactGet([{ pk: id }])), `${stage} transactGet ${id}`).toBe(refused);
        expect(await codeOf(s.table.query({ keyCondition: { expression: 'pk = :p', values: { ':p': id } } })), `${stage} query`).toBe(refused);
        expect(await codeOf(doc.send(new GetCommand({ TableName: tableName, Key: { pk: id } }))), `${stage} middleware`).toBe(refused);
        expect(await codeOf(decryptItem(await stored(id), s.config)), `${stage} decryptItem`).toBe(refused);
      }
    }
  });
});

describe('every read path follows the stage', () => {
  it('get, query, scan, batchGet, transactGet, the DocumentClient middleware and decryptItem', async () => {
    const scanTable = await createTable({ partitionKey: 'pk' });
    const both = service('write-encrypted');
    const strict = service('encrypted-only');
    const cfg = (s: Service): TableConfig => ({ ...s.config, tableName: scanTable });
    const plain = { pk: 'p-plain', clinic: 'north', name: 'Dorothy Vaughan' };
    await legacyPut(plain, scanTable);
    const writerTable = encryptedTable({ ...cfg(both), client: rawClient() });
    await writerTable.put({ pk: 'p-enc', clinic: 'north', name: 'Annie Easley' });

    const bothTable = encryptedTable({ ...cfg(both), client: rawClient() });
    const strictTable = encryptedTable({ ...cfg(strict), client: rawClient() });
    const before = plaintextReads(both).length;
    expect(await bothTable.get({ pk: 'p-plain' })).toEqual(plain);
    expect((await bothTable.query({ keyCondition: { expression: 'pk = :p', values: { ':p': 'p-plain' } } })).items).toEqual([plain]);
    expect((await bothTable.scan()).items.map((i) => String(i['name'])).sort()).toEqual(['Annie Easley', 'Dorothy Vaughan']);
    expect((await bothTable.batchGet([{ pk: 'p-plain' }, { pk: 'p-enc' }])).items).toHaveLength(2);
    expect(await bothTable.transactGet([{ pk: 'p-plain' }])).toEqual([plain]);
    const doc = withEncryption(docClient(), { tables: { [scanTable]: cfg(both) } });
    expect((await doc.send(new GetCommand({ TableName: scanTable, Key: { pk: 'p-plain' } }))).Item).toEqual(plain);
    expect((await doc.send(new QueryCommand({ TableName: scanTable, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p-plain' } }))).Items).toEqual([plain]);
    expect((await doc.send(new BatchGetCommand({ RequestItems: { [scanTable]: { Keys: [{ pk: 'p-plain' }] } } }))).Responses?.[scanTable]).toEqual([plain]);
    expect((await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: scanTable, Key: { pk: 'p-plain' } } }] }))).Responses?.[0]?.Item).toEqual(plain);
    expect(await decryptItem(wire(plain), cfg(both))).toEqual(wire(plain));
    // One audit event per plaintext item read (scan and batchGet read one each).
    expect(plaintextReads(both).length - before).toBe(10);

    const strictDoc = withEncryption(docClient(), { tables: { [scanTable]: cfg(strict) } });
    expect(await codeOf(strictTable.get({ pk: 'p-plain' }))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(strictTable.scan())).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(strictTable.batchGet([{ pk: 'p-plain' }]))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(strictTable.transactGet([{ pk: 'p-plain' }]))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(strictDoc.send(new ScanCommand({ TableName: scanTable })))).toBe('PLAINTEXT_REFUSED');
    expect(await codeOf(decryptItem(wire(plain), cfg(strict)))).toBe('PLAINTEXT_REFUSED');
    expect(await strictTable.get({ pk: 'p-enc' })).toEqual({ pk: 'p-enc', clinic: 'north', name: 'Annie Easley' });
  });
});

describe("writes under 'write-plaintext'", () => {
  it('are guarded like encrypted writes, store no format attributes (no beacons) and refuse reserved names', async () => {
    const s = service('write-plaintext');
    const doc = withEncryption(docClient(), { tables: { [tableName]: s.config } });
    await doc.send(new PutCommand({ TableName: tableName, Item: record('w-1', 'Mae Jemison') }));
    const item = await stored('w-1');
    expect(Object.keys(item).filter((n) => n.startsWith('aws_dbe_'))).toEqual([]);
    expect(item['name']).toEqual({ S: 'Mae Jemison' });
    // A key value that looks like PHI is refused before anything is sent.
    expect(await codeOf(s.table.put({ pk: '123-45-6789', name: 'x' }))).toBe('PHI_DETECTED');
    expect(await codeOf(s.table.put({ pk: 'w-2', 'patient ssn 123-45-6789': 'x' }))).toBe('PHI_DETECTED');
    expect(await codeOf(s.table.put({ pk: 'w-3', aws_dbe_head: new Uint8Array(4) }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(s.table.put({ name: 'no key' }))).toBe('INVALID_ARGUMENT');
    await raw.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'w-1' } } }));
  });
});

describe("unprocessed batch writes under 'write-plaintext'", () => {
  it('come back as sent, ready to resend, and are not counted as plaintext reads', async () => {
    const s = service('write-plaintext');
    const doc = withEncryption(docClient(), { tables: { [tableName]: s.config } });
    // DynamoDB returns unprocessed items only under throttling: a middleware reports part of a
    // real, fully processed batch as unprocessed, just inside phiseal's response handling.
    (doc.middlewareStack as unknown as { addRelativeTo: (mw: never, o: object) => void }).addRelativeTo(
      ((next: (a: { input: { RequestItems?: Record<string, unknown[]> } }) => Promise<{ output: Record<string, unknown> }>) =>
        async (args: { input: { RequestItems?: Record<string, unknown[]> } }) => {
          const result = await next(args);
          const requested = args.input.RequestItems?.[tableName];
          if (requested) result.output['UnprocessedItems'] = { [tableName]: requested.slice(0, 1) };
          return result;
        }) as never,
      { name: 'testReportUnprocessed', relation: 'after', toMiddleware: 'phisealDynamoDbDecrypt', override: true },
    );
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: [{ PutRequest: { Item: record('b-1', 'Ada') } }, { PutRequest: { Item: record('b-2', 'Bea') } }] } }));
    expect(out.UnprocessedItems?.[tableName]).toEqual([{ PutRequest: { Item: record('b-1', 'Ada') } }]);
    expect(plaintextReads(s)).toEqual([]);
    expect(itemState(await stored('b-2'))).toBe('plaintext');
  });
});

describe('audit events of plaintext reads', () => {
  it('one per read, every time, with the stage and no value; a refused read is a failure event', async () => {
    await legacyPut(record('a-1', 'Secret Person Name'));
    const s = service('write-plaintext');
    await s.table.get({ pk: 'a-1' });
    await s.table.get({ pk: 'a-1' });
    const events = plaintextReads(s);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ outcome: 'success', plaintextPolicy: 'write-plaintext', contextKeys: ['phiseal:dynamodb-table'] });
      expect(JSON.stringify(e)).not.toContain('Secret');
      expect(JSON.stringify(e)).not.toContain(tableName);
    }
    const strict = service('encrypted-only');
    await codeOf(strict.table.get({ pk: 'a-1' }));
    expect(plaintextReads(strict)).toMatchObject([{ outcome: 'failure', errorCode: 'PLAINTEXT_REFUSED', plaintextPolicy: 'encrypted-only' }]);
  });

  it('an unknown policy is INVALID_CONFIGURATION', async () => {
    const s = service('write-plaintext');
    expect(await codeOf(() => encryptedTable({ ...s.config, plaintextPolicy: 'sometimes' as PlaintextPolicy, client: rawClient() }).get({ pk: 'a' }))).toBe(
      'INVALID_CONFIGURATION',
    );
  });
});
