import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import type { TableConfig } from '../src/table-config.js';

// Shared by the unit and property tests (not exported from the package).

/** An envelope over a fixed local key: no network. */
export function localEnvelope(): Envelope {
  const keys = new LocalKeyProvider({ keyId: 'test-key', key: new Uint8Array(32).fill(7) });
  return createEnvelope({ keys, guard: false });
}

/** A patients table: `pk`/`sk` keys, `clinic` signed, `note` plain, the rest encrypted. */
export function patientsConfig(envelope: Envelope, extra: Partial<TableConfig> = {}): TableConfig {
  return {
    tableName: 'patients',
    partitionKey: 'pk',
    sortKey: 'sk',
    actions: { clinic: 'sign', note: 'plain' },
    allowedUnsignedAttributes: ['note'],
    envelope,
    ...extra,
  };
}
