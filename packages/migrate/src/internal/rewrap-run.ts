import { createEnvelope, PhisealError, type Envelope, type KeyProvider } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import type { RewrapRun } from './item-rewrap.js';

/**
 * A table's configuration for re-keying: as the application uses it, except that the envelope
 * is optional (only its guard and audit sink are used: the keys come from `from` and `to`).
 * @example
 * ```ts
 * const patients: RewrapTableConfig = { tableName: 'patients', partitionKey: 'patientId', actions: { clinicId: 'sign' } };
 * ```
 */
export type RewrapTableConfig = Omit<TableConfig, 'envelope'> & { readonly envelope?: Envelope };

/** What a run's envelopes and providers count: KMS (key provider) calls since the run began. */
export type RewrapKeys = { readonly run: Omit<RewrapRun, 'client' | 'dryRun' | 'maxConflictRetries'>; readonly sealing: Envelope; kmsCalls(): number; destroy(): void };

function provider(p: unknown, name: string): KeyProvider {
  const k = p as Partial<KeyProvider> | null;
  if (typeof k !== 'object' || k === null || typeof k.generate !== 'function' || typeof k.unwrap !== 'function' || typeof k.id !== 'string') {
    throw new PhisealError('INVALID_CONFIGURATION', `Re-keying needs \`${name}\`: a key provider (KmsKeyProvider, LocalKeyProvider, MultiKeyProvider, a keystore provider).`);
  }
  return k as KeyProvider;
}

/**
 * The envelopes of one re-keying run: `from` without a cache (each item's key is unwrapped once),
 * `to` for verifying items already re-keyed, a counted `to` for new wrappings (rewrapItem calls it
 * once per item: a fresh key every time), and a cached envelope over `to` that seals checkpoints.
 * All of them use the table envelope's guard and audit sink when it has one.
 * @throws PhisealError INVALID_CONFIGURATION
 */
export function rewrapKeys(table: RewrapTableConfig, fromInput: KeyProvider, toInput: KeyProvider): RewrapKeys {
  const from = provider(fromInput, 'from');
  const to = provider(toInput, 'to');
  if (from === to || from.id === to.id) throw new PhisealError('INVALID_ARGUMENT', '`from` and `to` are the same key: there is nothing to re-key.');
  const shared = table.envelope === undefined ? {} : { guard: table.envelope.guard, audit: (e: Parameters<Envelope['emitAudit']>[0]) => table.envelope?.emitAudit(e) };
  const fromEnvelope = createEnvelope({ keys: from, cache: false, ...shared });
  const toEnvelope = createEnvelope({ keys: to, cache: false, ...shared });
  let generated = 0;
  const counted: KeyProvider = {
    id: to.id,
    generate: (context) => {
      generated++;
      return to.generate(context);
    },
    wrap: (key, context) => to.wrap(key, context),
    unwrap: (wrapped, context) => to.unwrap(wrapped, context),
  };
  const calls = (e: Envelope): number => e.stats().kmsDecryptCalls + e.stats().kmsGenerateDataKeyCalls;
  const sealing = createEnvelope({ keys: to, ...shared });
  return {
    run: { fromTable: { ...table, envelope: fromEnvelope }, toTable: { ...table, envelope: toEnvelope }, to: counted },
    sealing,
    kmsCalls: () => calls(fromEnvelope) + calls(toEnvelope) + generated,
    destroy: () => {
      for (const e of [fromEnvelope, toEnvelope, sealing]) e.destroy();
    },
  };
}
