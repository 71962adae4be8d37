import type { KeyProvider } from '@phiseal/core';
import { decryptItem, rewrapItem, type TableConfig } from '@phiseal/dynamodb';
import type { RecordOutcome } from '../types.js';
import { describeFailure } from './failure.js';
import { ownWriteCondition, readCondition, type ReadCondition } from './item-condition.js';
import { keyOf } from './item-migration.js';
import { itemState, type StoredItem } from './item-state.js';
import { conditionalPut, type PutResult, type WriteRun } from './item-write.js';
import { sameItem } from './same-item.js';

/** Everything one item's re-keying needs (built once per run or segment). */
export type RewrapRun = WriteRun & {
  /** The table with an envelope over the old key (`from`), no cache. */
  readonly fromTable: TableConfig;
  /** The table with an envelope over the new key (`to`): verifies items already re-keyed. */
  readonly toTable: TableConfig;
  readonly to: KeyProvider;
};

type Step = { item: StoredItem; condition: ReadCondition; expected: StoredItem };
type Decision = { step: Step } | { outcome: Omit<RecordOutcome, 'id' | 'conflictsRetried'> };

// An item the old key cannot open: already under the new key (verified, skipped), or under
// neither (failed KEY_NOT_ALLOWED: the run cannot move it, and says so without a value).
async function notUnderFrom(run: RewrapRun, item: StoredItem): Promise<Decision> {
  try {
    await decryptItem(item, run.toTable);
    return { outcome: { outcome: 'skipped', code: 'REWRAPPED' } };
  } catch (error) {
    return { outcome: { outcome: 'failed', ...describeFailure(error) } };
  }
}

async function decide(run: RewrapRun, current: StoredItem): Promise<Decision> {
  const state = itemState(current);
  // Plaintext is migrateTable's job; a half-format item is tampering, refused untouched.
  if (state === 'plaintext') return { outcome: { outcome: 'skipped', code: 'PLAINTEXT' } };
  if (state === 'tampered') return { outcome: { outcome: 'failed', code: 'DECRYPTION_FAILED', retryable: false } };
  let rekeyed: StoredItem;
  try {
    rekeyed = await rewrapItem(current, run.fromTable, { to: run.to });
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.code === 'KEY_NOT_ALLOWED') return notUnderFrom(run, current);
    // The context the key is bound to holds key values: one the guard refuses is left as it is.
    if (failure.code === 'PHI_DETECTED') return { outcome: { outcome: 'refused', code: failure.code } };
    return { outcome: { outcome: 'failed', ...failure } };
  }
  const names = run.fromTable.sortKey === undefined ? [run.fromTable.partitionKey] : [run.fromTable.partitionKey, run.fromTable.sortKey];
  return { step: { item: rekeyed, condition: readCondition(current, names), expected: current } };
}

/**
 * Re-keys one item read from the table (see rewrapTable): written back only if the stored
 * item is still exactly what was read. On a conflict the item now stored is taken as the new
 * read and decided again. A write that replaced a newer item than the one read (an attribute
 * added since the read, which no condition names) is undone at once: the newer item is put
 * back, conditional on this run's write still being there, then decided again.
 */
export async function rewrapStoredItem(run: RewrapRun, read: StoredItem, id: string): Promise<RecordOutcome> {
  const { tableName } = run.fromTable;
  let current: StoredItem | undefined = read;
  let conflicts = 0;
  for (;;) {
    if (current === undefined) return { outcome: 'skipped', id, conflictsRetried: conflicts, code: 'GONE' };
    const decision = await decide(run, current);
    if ('outcome' in decision) return { ...decision.outcome, id, conflictsRetried: conflicts };
    if (run.dryRun) return { outcome: 'migrated', id, conflictsRetried: conflicts };
    const step = decision.step;
    await run.beforeWrite?.(step.expected);
    let result: PutResult;
    try {
      result = await conditionalPut(run.client, tableName, step.item, step.condition, keyOf(run.fromTable, step.item));
      if (result.written && result.old === undefined) return { outcome: 'failed', id, conflictsRetried: conflicts, code: 'INTERNAL', retryable: false };
      if (result.written && result.old !== undefined && sameItem(result.old, step.expected)) return { outcome: 'migrated', id, conflictsRetried: conflicts };
      if (result.written && result.old !== undefined) {
        const restored = await conditionalPut(run.client, tableName, result.old, ownWriteCondition(step.item), keyOf(run.fromTable, step.item));
        // Restored: the application's item is back and is decided again; not restored: someone wrote since, and theirs stays.
        result = { written: false, current: restored.written ? result.old : restored.current };
      }
    } catch (error) {
      return { outcome: 'failed', id, conflictsRetried: conflicts, ...describeFailure(error) };
    }
    if (++conflicts > run.maxConflictRetries) return { outcome: 'failed', id, conflictsRetried: conflicts - 1, code: 'CONFLICT', retryable: true };
    current = result.written ? undefined : result.current;
  }
}
