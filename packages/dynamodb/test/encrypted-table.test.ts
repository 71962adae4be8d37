import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptedTable, type EncryptedTable } from '@phiseal/dynamodb';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let patients: EncryptedTable;

const patient = (id: string, visit = 'v1', extra: Record<string, unknown> = {}) => ({
  pk: id,
  sk: visit,
  clinic: 'north',
  name: 'Ada Lovelace',
  dob: '1815-12-10',
  scores: new Set([1, 2]),
  ...extra,
});

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  patients = encryptedTable({
    tableName: table,
    partitionKey: 'pk',
    sortKey: 'sk',
    actions: { clinic: 'sign', note: 'plain' },
    allowedUnsignedAttributes: ['note'],
    envelope: await kmsEnvelope(),
    client: rawClient(),
    retry: { baseDelayMs: 5 },
  });
});

describe('encryptedTable', () => {
  it('put, get and delete (with returned old items)', async () => {
    expect(await patients.put(patient('a'))).toBeUndefined();
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { S: 'v1' } } }));
    expect(raw.Item?.['name']?.B).toBeInstanceOf(Uint8Array);
    expect(await patients.get({ pk: 'a', sk: 'v1' })).toEqual(patient('a'));
    expect(await patients.put(patient('a', 'v1', { name: 'Grace' }), { returnOld: true })).toEqual(patient('a'));
    expect(await patients.delete({ pk: 'a', sk: 'v1' }, { returnOld: true })).toEqual(patient('a', 'v1', { name: 'Grace' }));
    expect(await patients.get({ pk: 'a', sk: 'v1' })).toBeUndefined();
  });

  it('conditional put on a signed attribute', async () => {
    await patients.put(patient('c'));
    const condition = { expression: 'clinic = :c', values: { ':c': 'south' } };
    expect(await codeOf(patients.put(patient('c', 'v1', { name: 'x' }), { condition }))).toMatch(/ConditionalCheckFailed/);
  });

  it('query, queryPages, queryAll and scan with paging', async () => {
    for (let i = 0; i < 7; i++) await patients.put(patient('q', `v${i}`, { visit: i }));
    const first = await patients.query({ keyCondition: { expression: 'pk = :p', values: { ':p': 'q' } }, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.lastEvaluatedKey).toBeDefined();
    let pages = 0;
    for await (const pg of patients.queryPages({ keyCondition: { expression: 'pk = :p', values: { ':p': 'q' } }, limit: 3 })) {
      pages++;
      expect(pg.items.every((i) => i['name'] === 'Ada Lovelace')).toBe(true);
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    const all = await patients.queryAll({
      keyCondition: { expression: 'pk = :p AND begins_with(sk, :v)', values: { ':p': 'q', ':v': 'v' } },
      filter: { expression: 'clinic = :c', values: { ':c': 'north' } },
    });
    expect(all.map((i) => Number(i['visit'])).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    let scanned = 0;
    for await (const pg of patients.scanPages({ limit: 4 })) scanned += pg.items.length;
    expect(scanned).toBeGreaterThanOrEqual(7);
    expect((await patients.scan()).items.length).toBeGreaterThanOrEqual(7);
  });

  it('batchWrite and batchGet beyond the per-request limits', async () => {
    const items = Array.from({ length: 60 }, (_, i) => patient('batch', `v${String(i).padStart(3, '0')}`));
    expect(await patients.batchWrite({ put: items })).toEqual({ unprocessedPuts: [], unprocessedDeletes: [] });
    const keys = Array.from({ length: 130 }, (_, i) => ({ pk: 'batch', sk: `v${String(i).padStart(3, '0')}` }));
    const got = await patients.batchGet(keys);
    expect(got.unprocessedKeys).toEqual([]);
    expect(got.items).toHaveLength(60);
    expect(got.items.every((i) => i['dob'] === '1815-12-10')).toBe(true);
    await patients.batchWrite({ delete: keys.slice(0, 30) });
    expect((await patients.batchGet(keys)).items).toHaveLength(30);
  });

  it('transactGet and transactWrite', async () => {
    await patients.transactWrite([
      { put: patient('t1'), condition: { expression: 'attribute_not_exists(pk)' } },
      { put: patient('t2') },
    ]);
    expect(await patients.transactGet([{ pk: 't1', sk: 'v1' }, { pk: 't2', sk: 'v1' }, { pk: 'none', sk: 'v1' }])).toEqual([
      patient('t1'),
      patient('t2'),
      undefined,
    ]);
    await patients.transactWrite([{ delete: { pk: 't1', sk: 'v1' } }, { conditionCheck: { pk: 't2', sk: 'v1' }, condition: { expression: 'attribute_exists(pk)' } }]);
    expect(await patients.get({ pk: 't1', sk: 'v1' })).toBeUndefined();
    expect(await codeOf(patients.transactGet(Array.from({ length: 101 }, (_, i) => ({ pk: `x${i}`, sk: 'v1' }))))).toBe('LIMIT_EXCEEDED');
  });

  it('update reads, modifies and conditionally puts with a version', async () => {
    const created = await patients.update({ pk: 'u', sk: 'v1' }, { name: 'Ada', phone: '555' });
    expect(created).toEqual({ pk: 'u', sk: 'v1', name: 'Ada', phone: '555', version: 1 });
    const updated = await patients.update({ pk: 'u', sk: 'v1' }, { phone: undefined, name: 'Ada L.' });
    expect(updated).toEqual({ pk: 'u', sk: 'v1', name: 'Ada L.', version: 2 });
    expect(await patients.get({ pk: 'u', sk: 'v1' })).toEqual(updated);
    const viaFunction = await patients.update({ pk: 'u', sk: 'v1' }, (cur) => ({ ...cur!, visits: 3 }));
    expect(viaFunction['version']).toBe(3);
    // concurrent updates: both succeed, one after a retry
    await Promise.all([
      patients.update({ pk: 'u', sk: 'v1' }, (cur) => ({ ...cur!, a: 1 })),
      patients.update({ pk: 'u', sk: 'v1' }, (cur) => ({ ...cur!, b: 1 })),
    ]);
    const final = await patients.get({ pk: 'u', sk: 'v1' });
    expect(final?.['version']).toBe(5);
    expect(await codeOf(patients.update({ pk: 'u', sk: 'v1' }, { sk: 'v2' }))).toBe('INVALID_ARGUMENT');
  });

  it('leaves the caller client without phiseal middleware', async () => {
    const doc = docClient();
    const t = encryptedTable({ tableName: table, partitionKey: 'pk', sortKey: 'sk', envelope: await kmsEnvelope(), client: doc });
    await t.put({ pk: 'own', sk: 'v1', name: 'x' });
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const raw = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'own', sk: 'v1' } }));
    expect(raw.Item?.['name']).toBeInstanceOf(Uint8Array);
  });
});
