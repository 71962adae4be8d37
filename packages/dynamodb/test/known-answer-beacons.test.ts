import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { computeBeacon, decryptItem, encryptItem, type AttributeAction, type BeaconConfig, type TableConfig } from '@phiseal/dynamodb';
import { itemFromJson } from './support/java-peer.js';

// Beacons the Java DB-ESDK 3.9.0 interceptor stored (vectors/dbesdk-java-beacons.json, recorded by
// test/java/beacon-features.java-test.ts with that run's beacon key), recomputed here without a
// JVM, a key store or the emulator: virtual fields with every transform, nested locations, the
// four styles, constructors (first, second, optional part absent), global parts, a signed beacon.

type Vectors = {
  beaconKey: string;
  beacons: Omit<BeaconConfig, 'keyStore' | 'keySource'>;
  actions: Record<string, AttributeAction>;
  vectors: { plaintext: Record<string, Record<string, never>>; java: Record<string, Record<string, never>> }[];
};

const v = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'vectors/dbesdk-java-beacons.json'), 'utf8')) as Vectors;
const key = new Uint8Array(Buffer.from(v.beaconKey, 'base64'));
const config: TableConfig = {
  tableName: 'kat-beacons',
  partitionKey: 'pk',
  sortKey: 'sk',
  actions: v.actions,
  envelope: createEnvelope({ keys: new LocalKeyProvider({ keyId: 'kat', key: new Uint8Array(32).fill(1) }), guard: false }),
  beacons: { ...v.beacons, keyStore: { getBeaconKey: () => Promise.resolve({ key }) }, keySource: { single: { keyId: 'kat' } } },
};

function beaconsOf(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, a] of Object.entries(item)) {
    if ((k.startsWith('aws_dbe_') && k !== 'aws_dbe_head' && k !== 'aws_dbe_foot') || k === 'place') out[k] = a.SS ? { SS: [...a.SS].sort() } : a;
  }
  return out;
}

describe('known-answer beacons from the Java DB-ESDK 3.9.0', () => {
  it('has vectors for every item shape', () => {
    expect(v.vectors.length).toBe(3);
    expect(Object.keys(v.vectors[0]!.java).length).toBeGreaterThan(10);
  });

  for (const [i, vector] of v.vectors.entries()) {
    it(`item shape ${i}: phiseal stores exactly the beacons Java stored`, async () => {
      const plaintext = itemFromJson(vector.plaintext);
      const stored = await encryptItem(plaintext, config);
      expect(beaconsOf(stored)).toEqual(itemFromJson(vector.java));
      // and reads its own item back, beacons verified
      expect(Object.keys(await decryptItem(stored, config)).sort()).toEqual([...Object.keys(plaintext), ...(stored['place'] ? ['place'] : [])].sort());
    });
  }

  it('computeBeacon gives Java\u2019s values from query values', async () => {
    const java = itemFromJson(v.vectors[0]!.java);
    expect(await computeBeacon(config, 'nameTag', 'alovelace')).toBe(java['aws_dbe_b_nameTag']?.S);
    // "code": suffix(4) of the ssn, prefix(-8)+'#' then substring(1, 99) (clamped to the last
    // character: '23', not '23#'), 'Lovelace' split on 'v' last piece minus 2, 'Ada' pieces
    // -5..7 then substring(-3, -1) (empty), the second e-mail's 10th '@' piece (empty) + '~'.
    expect(await computeBeacon(config, 'code', '678923ace~')).toBe(java['aws_dbe_b_code']?.S);
    expect(await computeBeacon(config, 'visit', 'C-north|S-123-45-6789|D-1843-07-10')).toBe(java['aws_dbe_b_visit']?.S);
    expect(await computeBeacon(config, 'workEmail', 'ada@example.org')).toBe(java['aws_dbe_b_email0']?.S);
  });
});
