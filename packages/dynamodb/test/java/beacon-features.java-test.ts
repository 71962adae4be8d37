import { GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope } from '@phiseal/core';
import { HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { createTable, dynamoClient } from '@phiseal/test-support';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBeacon, encryptedTable, withEncryption, type BeaconConfig, type TableConfig } from '@phiseal/dynamodb';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../support/java-peer.js';
import { canonical, configureJava, sharedKeyStore } from './support.js';

// Every searchable-encryption feature of DB-ESDK 3.9.0 across languages, on one table:
// virtual fields with every transform, nested terminal locations, the four beacon styles,
// compound beacons with constructors (required and optional parts) and the global parts
// lists, and a signed beacon. Java writes through its interceptor, phiseal through
// withEncryption; the stored beacon attributes must be identical, each side reads the other's
// items, and queries written in either language find both sides' items.

let peer: JavaPeer;
let keyStore: KeyStore;
let branchKeyId: string;
let kmsKeyArn: string;
let storeTable: string;
let table: string;

const beaconsConfig: Omit<BeaconConfig, 'keyStore' | 'keySource'> = {
  virtualFields: [
    { name: 'nameTag', parts: [{ loc: 'first', trans: [{ prefix: { length: 1 } }, { lower: {} }] }, { loc: 'last', trans: [{ lower: {} }] }] },
    {
      name: 'lastMonth',
      parts: [
        { loc: 'last', trans: [{ upper: {} }, { substring: { low: 0, high: 3 } }] },
        { loc: 'visitDate', trans: [{ segments: { split: '-', low: 0, high: 2 } }] },
      ],
    },
    {
      name: 'code',
      parts: [
        { loc: 'ssn', trans: [{ suffix: { length: 4 } }] },
        { loc: 'ssn', trans: [{ prefix: { length: -8 } }, { insert: { literal: '#' } }, { substring: { low: 1, high: 99 } }] },
        { loc: 'last', trans: [{ segment: { split: 'v', index: -1 } }, { suffix: { length: -2 } }] },
        { loc: 'first', trans: [{ segments: { split: 'd', low: -5, high: 7 } }, { substring: { low: -3, high: -1 } }] },
        { loc: 'contact.emails[1]', trans: [{ segment: { split: '@', index: 9 } }, { insert: { literal: '~' } }] },
      ],
    },
  ],
  standard: [
    { name: 'email0', length: 16, loc: 'contact.emails[0]' },
    { name: 'workEmail', length: 16, loc: 'work', style: { shared: { other: 'email0' } } },
    { name: 'city', length: 10, loc: 'contact.address.city' },
    { name: 'nameTag', length: 24 },
    { name: 'lastMonth', length: 30 },
    { name: 'code', length: 40 },
    { name: 'tags', length: 8, style: { asSet: {} } },
    { name: 'altTags', length: 8, style: { sharedSet: { other: 'tags' } } },
    { name: 'ssn', length: 12, style: { partOnly: {} } },
    { name: 'score', length: 20 },
    { name: 'last', length: 12 },
  ],
  signedParts: [{ name: 'reg', prefix: 'R-', loc: 'region' }],
  encryptedParts: [{ name: 'last', prefix: 'L-' }],
  compound: [
    {
      name: 'visit',
      split: '|',
      signed: [
        { name: 'clinic', prefix: 'C-' },
        { name: 'day', prefix: 'D-', loc: 'visitDate' },
      ],
      encrypted: [
        { name: 'ssn', prefix: 'S-' },
        { name: 'score', prefix: 'N-' },
      ],
      constructors: [
        {
          parts: [
            { name: 'clinic', required: true },
            { name: 'ssn', required: true },
            { name: 'day', required: false },
          ],
        },
        {
          parts: [
            { name: 'clinic', required: true },
            { name: 'score', required: true },
          ],
        },
      ],
    },
    {
      name: 'regionLast',
      split: '.',
      constructors: [
        {
          parts: [
            { name: 'reg', required: true },
            { name: 'last', required: true },
          ],
        },
      ],
    },
    {
      name: 'place',
      split: '.',
      signed: [
        { name: 'clinicP', prefix: 'C-', loc: 'clinic' },
        { name: 'regionP', prefix: 'G-', loc: 'region' },
      ],
    },
  ],
};

const full = (pk: string): Record<string, AttributeValue> => ({
  pk: { S: pk },
  sk: { S: 's' },
  first: { S: 'Ada' },
  last: { S: 'Lovelace' },
  contact: { M: { emails: { L: [{ S: 'ada@example.org' }, { S: 'ada@work.example' }] }, address: { M: { city: { S: 'London' } } } } },
  work: { S: 'ada@example.org' },
  tags: { SS: ['math', 'poetry', 'engines'] },
  altTags: { SS: ['engines', 'music'] },
  ssn: { S: '123-45-6789' },
  score: { N: '01.50' },
  clinic: { S: 'north' },
  region: { S: 'eu-west' },
  visitDate: { S: '1843-07-10' },
});
// Constructor variations: no ssn (second constructor of "visit"), no visitDate (optional part absent).
const noSsn = (pk: string): Record<string, AttributeValue> => {
  const { ssn: _s, ...rest } = full(pk);
  return rest;
};
const noDate = (pk: string): Record<string, AttributeValue> => {
  const { visitDate: _d, ...rest } = full(pk);
  return rest;
};
const shapes = [full, noSsn, noDate];
const attributes = Object.keys(full('x'));

beforeAll(async () => {
  peer = await startJavaPeer();
  ({ keyStore, branchKeyId, kmsKeyArn, storeTable } = await sharedKeyStore('dbesdk beacon features'));
  table = await createTable({
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'by-email', partitionKey: 'aws_dbe_b_email0' },
      { name: 'by-name-tag', partitionKey: 'aws_dbe_b_nameTag' },
      { name: 'by-visit', partitionKey: 'aws_dbe_b_visit' },
      { name: 'by-place', partitionKey: 'place' },
    ],
  });
  await configureJava(
    peer,
    config(),
    attributes,
    { type: 'hierarchy', branchKeyId },
    { keyStore: { tableName: storeTable, logicalName: storeTable, kmsKeyArn }, beacons: { keyId: branchKeyId, ...beaconsConfig } },
  );
});

afterAll(async () => {
  await peer?.close();
});

function config(): TableConfig {
  return {
    tableName: table,
    partitionKey: 'pk',
    sortKey: 'sk',
    actions: { clinic: 'sign', region: 'sign', visitDate: 'sign' },
    envelope: createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }), guard: false }),
    beacons: { ...beaconsConfig, keyStore, keySource: { single: { keyId: branchKeyId } } },
  };
}

async function raw(pk: string): Promise<Record<string, AttributeValue>> {
  return (await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: 's' } }, ConsistentRead: true }))).Item!;
}

/** The beacon attributes of a stored item (sets sorted: DynamoDB keeps no member order). */
function beaconsOf(item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (k.startsWith('aws_dbe_') && k !== 'aws_dbe_head' && k !== 'aws_dbe_foot') out[k] = v.SS ? { SS: [...v.SS].sort() } : v;
    else if (k === 'place') out[k] = v.SS ? { SS: [...v.SS].sort() } : v;
  }
  return out;
}

describe('Java DB-ESDK interop: virtual fields, nested locations, styles, constructors, signed beacons', () => {
  it('both sides store identical beacon attributes for every item shape, and read each other', async () => {
    const cfg = config();
    const client = withEncryption(dynamoClient(), { tables: { [table]: cfg } });
    for (const [i, shape] of shapes.entries()) {
      await peer.ok({ op: 'put', item: itemToJson(shape(`j-${i}`)) });
      await client.send(new PutItemCommand({ TableName: table, Item: shape(`p-${i}`) }));
      const theirs = await raw(`j-${i}`);
      const ours = await raw(`p-${i}`);
      expect(beaconsOf(ours)).toEqual(beaconsOf(theirs));
      expect(Object.keys(beaconsOf(ours)).length).toBeGreaterThan(8);
      const read = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `j-${i}` }, sk: { S: 's' } }, ConsistentRead: true }));
      expect(canonical(read.Item)).toEqual(canonical({ ...shape(`j-${i}`), ...(theirs['place'] ? { place: theirs['place'] } : {}) }));
      const javaRead = itemFromJson((await peer.ok({ op: 'get', key: itemToJson({ pk: { S: `p-${i}` }, sk: { S: 's' } }) }))['item'] as never);
      expect(canonical(javaRead)).toEqual(canonical({ ...shape(`p-${i}`), ...(ours['place'] ? { place: ours['place'] } : {}) }));
    }
    // The styles did what they say: shared beacons equal, partOnly not stored, set beacons are sets.
    const stored = await raw('j-0');
    expect(stored['aws_dbe_b_workEmail']).toEqual(stored['aws_dbe_b_email0']);
    expect(stored['aws_dbe_b_ssn']).toBeUndefined();
    expect(stored['aws_dbe_b_tags']?.SS).toHaveLength(3);
    expect(stored['place']).toEqual({ S: 'C-north.G-eu-west' });
    expect(Object.keys(stored).filter((k) => k.startsWith('aws_dbe_v'))).toEqual([]);
    // The constructors chose as Java chose: first (with and without the optional day), then second.
    expect(stored['aws_dbe_b_visit']?.S).toMatch(/^C-north\|S-[0-9a-f]{3}\|D-1843-07-10$/);
    expect((await raw('j-1'))['aws_dbe_b_visit']?.S).toMatch(/^C-north\|N-[0-9a-f]{5}$/);
    expect((await raw('j-2'))['aws_dbe_b_visit']?.S).toMatch(/^C-north\|S-[0-9a-f]{3}$/);
    // PHISEAL_WRITE_BEACON_VECTORS=1 records these Java-written beacons with this run's beacon
    // key as the known-answer vectors of test/known-answer-beacons.test.ts (no JVM needed there).
    if (process.env['PHISEAL_WRITE_BEACON_VECTORS'] === '1') {
      const beaconKey = Buffer.from((await keyStore.getBeaconKey(branchKeyId)).key).toString('base64');
      const vectors = [];
      for (const [i, shape] of shapes.entries()) vectors.push({ plaintext: itemToJson(shape(`j-${i}`)), java: itemToJson(beaconsOf(await raw(`j-${i}`)) as never) });
      const file = join(dirname(fileURLToPath(import.meta.url)), '../vectors/dbesdk-java-beacons.json');
      writeFileSync(file, `${JSON.stringify({ description: 'Beacons stored by the Java DB-ESDK 3.9.0 interceptor (test/java/beacon-features.java-test.ts, PHISEAL_WRITE_BEACON_VECTORS=1)', beaconKey, beacons: beaconsConfig, actions: config().actions, vectors }, null, 1)}\n`);
    }
  });

  it('computeBeacon gives the values Java stored, from source values, virtual field strings and compound text', async () => {
    const cfg = config();
    const stored = await raw('j-0');
    expect(await computeBeacon(cfg, 'email0', 'ada@example.org')).toBe(stored['aws_dbe_b_email0']?.S);
    expect(await computeBeacon(cfg, 'city', 'London')).toBe(stored['aws_dbe_b_city']?.S);
    expect(await computeBeacon(cfg, 'nameTag', 'alovelace')).toBe(stored['aws_dbe_b_nameTag']?.S);
    expect(await computeBeacon(cfg, 'lastMonth', 'LOV1843-07')).toBe(stored['aws_dbe_b_lastMonth']?.S);
    expect(await computeBeacon(cfg, 'score', 1.5)).toBe(stored['aws_dbe_b_score']?.S);
    expect(stored['aws_dbe_b_tags']?.SS).toContain(await computeBeacon(cfg, 'tags', 'poetry'));
    expect(await computeBeacon(cfg, 'visit', 'C-north|S-123-45-6789|D-1843-07-10')).toBe(stored['aws_dbe_b_visit']?.S);
    expect(await computeBeacon(cfg, 'visit', { clinic: 'north', ssn: '123-45-6789', day: '1843-07-10' })).toBe(stored['aws_dbe_b_visit']?.S);
    expect(await computeBeacon(cfg, 'regionLast', 'R-eu-west.L-Lovelace')).toBe(stored['aws_dbe_b_regionLast']?.S);
  });

  it('queries written in either language find both sides\u2019 items', async () => {
    const t = encryptedTable({ ...config(), client: dynamoClient() });
    const pks = (items: Record<string, unknown>[]): string[] => items.map((i) => String(i['pk'])).sort();
    expect(pks(await t.queryByBeacon('nameTag', 'alovelace', { index: 'by-name-tag' }))).toEqual(['j-0', 'j-1', 'j-2', 'p-0', 'p-1', 'p-2']);
    expect(pks(await t.queryByBeacon('email0', 'ada@example.org', { index: 'by-email' }))).toEqual(['j-0', 'j-1', 'j-2', 'p-0', 'p-1', 'p-2']);
    expect(pks(await t.queryByBeacon('visit', 'C-north|N-1.50', { index: 'by-visit' }))).toEqual([]);
    expect(pks(await t.queryByBeacon('visit', 'C-north|N-01.50', { index: 'by-visit' }))).toEqual(['j-1', 'p-1']);
    expect(pks(await t.queryByBeacon('visit', 'C-north|S-123-45-6789', { index: 'by-visit' }))).toEqual(['j-2', 'p-2']);
    const javaQuery = async (index: string, attr: string, value: string): Promise<string[]> => {
      const reply = await peer.ok({ op: 'query', index, expr: '#a = :v', names: { '#a': attr }, values: itemToJson({ ':v': { S: value } }) });
      return (reply['items'] as Record<string, never>[]).map((i) => itemFromJson(i)['pk']!.S!).sort();
    };
    expect(await javaQuery('by-name-tag', 'nameTag', 'alovelace')).toEqual(['j-0', 'j-1', 'j-2', 'p-0', 'p-1', 'p-2']);
    expect(await javaQuery('by-visit', 'visit', 'C-north|S-123-45-6789|D-1843-07-10')).toEqual(['j-0', 'p-0']);
    expect(await javaQuery('by-place', 'place', 'C-north.G-eu-west')).toEqual(['j-0', 'j-1', 'j-2', 'p-0', 'p-1', 'p-2']);
    const javaScan = await peer.ok({ op: 'scan', filter: 'contains(#t, :t)', names: { '#t': 'altTags' }, values: itemToJson({ ':t': { S: 'music' } }) });
    expect((javaScan['items'] as Record<string, never>[]).map((i) => itemFromJson(i)['pk']!.S!).sort()).toEqual(['j-0', 'j-1', 'j-2', 'p-0', 'p-1', 'p-2']);
  });
});
