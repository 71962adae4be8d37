import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import type { BeaconConfig } from '../../beacon-config.js';
import { computeBeacon } from '../../compute-beacon.js';
import { decryptItem, encryptItem } from '../../encrypt-item.js';
import type { TableConfig } from '../../table-config.js';
import { localEnvelope, patientsConfig } from '../../../test/fixtures.js';

// What items a beacon configuration accepts and refuses on write and read, without the
// emulator (values equal to Java's: test/java/beacon-features.java-test.ts).

const keyStore = { getBeaconKey: () => Promise.resolve({ key: new Uint8Array(32).fill(9) }) };

function config(beacons: Omit<BeaconConfig, 'keyStore' | 'keySource'>): TableConfig {
  return patientsConfig(localEnvelope(), { beacons: { keyStore, keySource: { single: { keyId: 'b' } }, ...beacons } });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return PhisealError.is(e) ? e.code : 'untyped';
  }
}

const base = { pk: { S: 'p' }, sk: { S: 's' } };
const visit = config({
  standard: [{ name: 'last', length: 12 }, { name: 'tags', length: 8, style: { asSet: {} } }, { name: 'ssn', length: 10, style: { partOnly: {} } }],
  compound: [
    { name: 'lastClinic', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }], encrypted: [{ name: 'last', prefix: 'L-' }, { name: 'ssn', prefix: 'S-' }] },
    { name: 'place', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }] },
  ],
});

describe('beacons on write and read', () => {
  it('refuse a part value containing the split character, an asSet source that is not a set, and a binary where a string is needed', async () => {
    expect(await codeOf(encryptItem({ ...base, last: { S: 'Love.lace' }, clinic: { S: 'n' }, ssn: { S: '1' } }, visit))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(encryptItem({ ...base, tags: { S: 'x' } }, visit))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(encryptItem({ ...base, last: { B: new Uint8Array([1]) }, clinic: { S: 'n' }, ssn: { S: '1' } }, visit))).toBe('INVALID_ARGUMENT');
  });

  it('store no partOnly beacon, a string set for asSet, and a signed beacon as a signed attribute', async () => {
    const item: Record<string, AttributeValue> = { ...base, last: { S: 'Lovelace' }, clinic: { S: 'north' }, ssn: { S: '123' }, tags: { SS: ['a', 'b', 'c'] } };
    const stored = await encryptItem(item, visit);
    expect(stored['aws_dbe_b_ssn']).toBeUndefined();
    expect(new Set(stored['aws_dbe_b_tags']?.SS)).toEqual(new Set(await Promise.all(['a', 'b', 'c'].map((t) => computeBeacon(visit, 'tags', t)))));
    expect(stored['aws_dbe_b_lastClinic']?.S).toBe(await computeBeacon(visit, 'lastClinic', 'C-north.L-Lovelace.S-123'));
    expect(stored['place']).toEqual({ S: 'C-north' });
    expect(await decryptItem(stored, visit)).toEqual({ ...item, place: { S: 'C-north' } });
    // The signed beacon is covered by the signature: a changed value is refused.
    expect(await codeOf(decryptItem({ ...stored, place: { S: 'C-south' } }, visit))).toBe('DECRYPTION_FAILED');
    // A beacon copied from another item is refused on read.
    const other = await encryptItem({ ...item, last: { S: 'Hopper' } }, visit);
    expect(await codeOf(decryptItem({ ...stored, aws_dbe_b_lastClinic: other['aws_dbe_b_lastClinic']! }, visit))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(decryptItem({ ...stored, aws_dbe_b_tags: { SS: ['00'] } }, visit))).toBe('DECRYPTION_FAILED');
  });

  it('refuse a supplied signed beacon that differs from the constructed one, and keep one that agrees', async () => {
    expect(await codeOf(encryptItem({ ...base, clinic: { S: 'north' }, place: { S: 'C-south' } }, visit))).toBe('INVALID_ARGUMENT');
    expect((await encryptItem({ ...base, clinic: { S: 'north' }, place: { S: 'C-north' } }, visit))['place']).toEqual({ S: 'C-north' });
  });

  it('parse compound query text by prefix and refuse text no constructor builds', async () => {
    expect(await computeBeacon(visit, 'lastClinic', { clinic: 'north', last: 'Lovelace', ssn: '123' })).toBe(await computeBeacon(visit, 'lastClinic', 'C-north.L-Lovelace.S-123'));
    expect(await codeOf(computeBeacon(visit, 'lastClinic', 'L-Lovelace.C-north.S-123'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(visit, 'lastClinic', 'X-1'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(visit, 'ssn', '123'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(visit, 'lastClinic', { clinic: 'north' }))).toBe('INVALID_ARGUMENT');
  });
});
