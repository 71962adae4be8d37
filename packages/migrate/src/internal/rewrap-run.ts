import { createEnvelope, PhisealError, type Envelope, type KeyProvider, type WrappedKey } from '@phiseal/core';
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
 * `from` refusing (KEY_NOT_ALLOWED, before any key is used) wrappings that are under `to` at its
 * current version, when `to` can tell (`isCurrent`: a branch key's versions). Such an item is
 * then verified under `to` and skipped as REWRAPPED, as an item under another `to` key is;
 * with `from` and `to` one hierarchical provider, items under older versions are re-keyed.
 */
function olderThanCurrent(from: KeyProvider, to: KeyProvider): KeyProvider {
  const isCurrent = to.isCurrent?.bind(to);
  if (isCurrent === undefined) return from;
  return {
    id: from.id,
    generate: (context) => from.generate(context),
    wrap: (key, context) => from.wrap(key, context),
    unwrap: async (wrapped, context) => {
      const older: WrappedKey[] = [];
      for (const w of wrapped) if (!(await isCurrent(w, context))) older.push(w);
      if (older.length === 0) throw new PhisealError('KEY_NOT_ALLOWED', 'The data key is already under the current version of the key to rotate to.');
      return from.unwrap(older, context);
    },
  };
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
  // The same provider is a rotation only when its key has versions it can tell apart (isCurrent).
  if ((from === to || from.id === to.id) && typeof to.isCurrent !== 'function') {
    throw new PhisealError('INVALID_ARGUMENT', '`from` and `to` are the same key: there is nothing to re-key.');
  }
  const shared = table.envelope === undefined ? {} : { guard: table.envelope.guard, audit: (e: Parameters<Envelope['emitAudit']>[0]) => table.envelope?.emitAudit(e) };
  const fromEnvelope = createEnvelope({ keys: olderThanCurrent(from, to), cache: false, ...shared });
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
