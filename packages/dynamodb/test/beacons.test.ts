import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeBeacon, createBeaconKey, encryptedTable, withEncryption, type EncryptedTable, type TableConfig } from '@phiseal/dynamodb';
import type { Envelope } from '@phiseal/core';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let envelope: Envelope;
let beaconKey: string;

const people = [
  { pk: 'p1', email: 'ada@example.org', last: 'Lovelace', dob: '1815-12-10' },
  { pk: 'p2', email: 'grace@example.org', last: 'Hopper', dob: '1906-12-09' },
  { pk: 'p3', email: 'alan@example.org', last: 'Turing', dob: '1912-06-23' },
  { pk: 'p4', email: 'edsger@example.org', last: 'Dijkstra', dob: '1930-05-11' },
  { pk: 'p5', email: 'barbara@example.org', last: 'Liskov', dob: '1939-11-07' },
  { pk: 'p6', email: 'ADA@example.org ', last: 'Lovelace', dob: '1815-12-11' },
];

function config(bits: number): TableConfig {
  return {
    tableName: table,
    partitionKey: 'pk',
    envelope,
    beaconKey,
    beacons: { email: { attributes: ['email'], bits }, lastDob: { attributes: ['last', 'dob'], bits } },
  };
}

beforeAll(async () => {
  table = await createTable({
    partitionKey: 'pk',
    indexes: [
      { name: 'by-email', partitionKey: 'phiseal_b_email' },
      { name: 'by-last-dob', partitionKey: 'phiseal_b_lastDob' },
    ],
  });
  envelope = await kmsEnvelope();
  beaconKey = await createBeaconKey(envelope);
});

describe('beacons', () => {
  it('stores a truncated beacon attribute and finds items through the index', async () => {
    const t: EncryptedTable = encryptedTable({ ...config(16), client: rawClient() });
    for (const p of people) await t.put(p);
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p1' } } }));
    expect(raw.Item?.['phiseal_b_email']?.S).toMatch(/^[0-9a-f]{4}$/);
    expect(raw.Item?.['email']?.B).toBeInstanceOf(Uint8Array);
    // normalization: case and surrounding space do not matter
    expect((await t.queryByBeacon('email', 'Ada@Example.org', { index: 'by-email' })).map((i) => String(i['pk'])).sort()).toEqual(['p1', 'p6']);
    const compound = await t.queryByBeacon('lastDob', { last: 'lovelace', dob: '1815-12-10' }, { index: 'by-last-dob' });
    expect(compound.map((i) => String(i['pk']))).toEqual(['p1']);
    expect(await t.queryByBeacon('email', 'nobody@example.org', { index: 'by-email' })).toEqual([]);
  });

  it('drops false positives when a tiny bit length forces collisions', async () => {
    const t = encryptedTable({ ...config(1), client: rawClient() });
    for (const p of people) await t.put(p);
    // 40 more items make "no collision at all" a 2^-45 event, whatever the random beacon key
    await t.batchWrite({ put: Array.from({ length: 40 }, (_, i) => ({ pk: `f${i}`, email: `filler${i}@example.org`, last: `L${i}`, dob: '2000-01-01' })) });
    // with 1 bit, about half of all items share any beacon value: the index returns them all
    const b = await computeBeacon(config(1), 'email', 'grace@example.org');
    const doc = withEncryption(docClient(), { tables: { [table]: config(1) } });
    const candidates = await doc.send(
      new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'phiseal_b_email = :b', ExpressionAttributeValues: { ':b': b } }),
    );
    expect(candidates.Items!.length).toBeGreaterThan(1);
    const found = await t.queryByBeacon('email', 'grace@example.org', { index: 'by-email' });
    expect(found.map((i) => String(i['pk']))).toEqual(['p2']);
    const compound = await t.queryByBeacon('lastDob', { last: 'Turing', dob: '1912-06-23' }, { index: 'by-last-dob' });
    expect(compound.map((i) => String(i['pk']))).toEqual(['p3']);
  });

  it('signs beacons: a beacon copied from another item fails verification', async () => {
    const t = encryptedTable({ ...config(16), client: rawClient() });
    await t.put(people[0]!);
    await t.put(people[1]!);
    const a = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p1' } } }))).Item!;
    const b = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p2' } } }))).Item!;
    const { decryptItem } = await import('@phiseal/dynamodb');
    expect(await codeOf(decryptItem({ ...a, phiseal_b_email: b['phiseal_b_email']! }, config(16)))).toBe('DECRYPTION_FAILED');
    const { phiseal_b_email: _dropped, ...withoutBeacon } = a;
    expect(await codeOf(decryptItem(withoutBeacon, config(16)))).toBe('DECRYPTION_FAILED');
  });

  it('is stable across envelopes (processes) sharing the key provider', async () => {
    const again = await computeBeacon(config(16), 'email', 'ada@example.org');
    const fresh = { ...config(16) }; // a new config object resolves and unwraps the beacon key again
    expect(await computeBeacon(fresh, 'email', 'ada@example.org')).toBe(again);
    expect(await codeOf(computeBeacon({ ...config(16), beaconKey: 'pbk1.nope' }, 'email', 'x'))).toBe('INVALID_CONFIGURATION');
    expect(await codeOf(computeBeacon(config(16), 'missing', 'x'))).toBe('INVALID_ARGUMENT');
    // A beacon's name becomes a clear-text attribute name (and index key) on every item.
    const named = { ...config(16), beacons: { 'ssn-123-45-6789': { attributes: ['email'], bits: 16 } } };
    expect(await codeOf(computeBeacon(named, 'ssn-123-45-6789', 'x'))).toBe('PHI_DETECTED');
    expect(await codeOf(computeBeacon(config(16), 'lastDob', { last: 'x' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(config(16), 'lastDob', null as never))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(config(16), 'email', true as never))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(config(16), 'lastDob', { last: 'x', dob: {} as never }))).toBe('INVALID_ARGUMENT');
    const t = encryptedTable({ ...config(16), client: rawClient() });
    expect(await codeOf(t.queryByBeacon('email', null as never, { index: 'by-email' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(t.queryByBeacon('email', true as never, { index: 'by-email' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(t.queryByBeacon('lastDob', { last: 'x', dob: {} as never }, { index: 'by-last-dob' }))).toBe('INVALID_ARGUMENT');
  });
});
