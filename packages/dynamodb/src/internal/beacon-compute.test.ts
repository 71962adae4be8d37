// Issue #11, defect 9: beacon keys were held for the life of the process, never zeroized.
// They now share the table's envelope's lifetime: destroy() zeroizes and forgets them, and
// later calls are refused instead of fetching them again. The key store here is an
// in-memory object of the BeaconKeyStore shape (as in test/beacons.test.ts), counting fetches.
import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import type { BeaconKeyStore } from '../beacon-config.js';
import { localEnvelope, patientsConfig } from '../../test/fixtures.js';
import { beaconKeys } from './beacon-compute.js';
import { resolveTable } from './resolve-table.js';

function table() {
  let fetches = 0;
  const keyStore: BeaconKeyStore = {
    getBeaconKey: () => {
      fetches++;
      return Promise.resolve({ key: new Uint8Array(32).fill(9) });
    },
  };
  const envelope = localEnvelope();
  const config = patientsConfig(envelope, {
    beacons: { standard: [{ name: 'email', length: 16 }, { name: 'last', length: 8 }], keyStore, keySource: { single: { keyId: 'branch-1' } } },
  });
  return { envelope, t: resolveTable(config), fetches: () => fetches };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (PhisealError.is(e) ? e.code : 'untyped'),
  );

describe('beacon keys', () => {
  it('are zeroized and forgotten when the envelope is destroyed, and not fetched again', async () => {
    const { envelope, t, fetches } = table();
    const keys = await beaconKeys(t, 'branch-1');
    expect(keys.size).toBe(2);
    for (const key of keys.values()) expect(key.some((b) => b !== 0)).toBe(true);
    expect(await beaconKeys(t, 'branch-1')).toBe(keys); // fetched once
    envelope.destroy();
    for (const key of keys.values()) expect(key.every((b) => b === 0)).toBe(true);
    expect(await codeOf(beaconKeys(t, 'branch-1'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(beaconKeys(t, 'branch-2'))).toBe('INVALID_ARGUMENT');
    expect(fetches()).toBe(1);
  });

  it('fetched while the envelope is being destroyed are refused, not kept', async () => {
    const { envelope, t } = table();
    const pending = beaconKeys(t, 'branch-1');
    envelope.destroy();
    expect(await codeOf(pending)).toBe('INVALID_ARGUMENT');
  });
});
