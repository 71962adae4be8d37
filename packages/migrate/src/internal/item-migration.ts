import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import type { RecordOutcome } from '../types.js';
import { describeFailure } from './failure.js';
import { ownWriteCondition, readCondition, type ReadCondition } from './item-condition.js';
import { itemState, type StoredItem } from './item-state.js';
import { conditionalPut, type PutResult, type WriteRun } from './item-write.js';
import { sameItem } from './same-item.js';

/** Everything one item's migration needs (built once per run or segment). */
export type ItemRun = WriteRun & {
  readonly table: TableConfig;
  /** Decrypt items already in the format, so that a tampered one is reported (default true). */
  readonly verifyEncrypted: boolean;
};

type Step = { item: StoredItem; condition: ReadCondition; expected: StoredItem };

export function keyOf(table: TableConfig, item: StoredItem): StoredItem {
  const key: StoredItem = {};
  for (const name of table.sortKey === undefined ? [table.partitionKey] : [table.partitionKey, table.sortKey]) {
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
}

async function encryptedOutcome(run: ItemRun, item: StoredItem, id: string, conflicts: number): Promise<RecordOutcome> {
  if (!run.verifyEncrypted) return { outcome: 'skipped', id, conflictsRetried: conflicts, code: 'ENCRYPTED' };
  try {
    await decryptItem(item, run.table);
    return { outcome: 'skipped', id, conflictsRetried: conflicts, code: 'ENCRYPTED' };
  } catch (error) {
    return { outcome: 'failed', id, conflictsRetried: conflicts, ...describeFailure(error) };
  }
}

/**
 * Migrates one item read from the table: plaintext is encrypted and written back only if the
 * stored item is still exactly what was read; an encrypted item is verified and skipped; a
 * tampered one fails untouched. On a conflict the item now stored is taken as the new read
 * and the decision is made again, at most `maxConflictRetries` times.
 */
export async function migrateStoredItem(run: ItemRun, read: StoredItem, id: string): Promise<RecordOutcome> {
  const keyNames = run.table.sortKey === undefined ? [run.table.partitionKey] : [run.table.partitionKey, run.table.sortKey];
  let current: StoredItem | undefined = read;
  let conflicts = 0;
  let pending: Step | undefined;
  for (;;) {
    if (pending === undefined) {
      if (current === undefined) return { outcome: 'skipped', id, conflictsRetried: conflicts, code: 'GONE' };
      const state = itemState(current);
      if (state === 'encrypted') return encryptedOutcome(run, current, id, conflicts);
      if (state === 'tampered') return { outcome: 'failed', id, conflictsRetried: conflicts, code: 'DECRYPTION_FAILED', retryable: false };
      let sealed: StoredItem;
      try {
        sealed = (await encryptItem(current, run.table));
      } catch (error) {
        const failure = describeFailure(error);
        // A key value or attribute name that is PHI stays in the clear whatever is encrypted: refused, untouched.
        if (failure.code === 'PHI_DETECTED') return { outcome: 'refused', id, conflictsRetried: conflicts, code: failure.code };
        return { outcome: 'failed', id, conflictsRetried: conflicts, ...failure };
      }
      if (run.dryRun) return { outcome: 'migrated', id, conflictsRetried: conflicts };
      pending = { item: sealed, condition: readCondition(current, keyNames), expected: current };
    }
    await run.beforeWrite?.(pending.expected);
    let result: PutResult;
    try {
      result = await conditionalPut(run.client, run.table.tableName, pending.item, pending.condition, keyOf(run.table, pending.item));
    } catch (error) {
      return { outcome: 'failed', id, conflictsRetried: conflicts, ...describeFailure(error) };
    }
    if (result.written && result.old !== undefined && sameItem(result.old, pending.expected)) {
      return { outcome: 'migrated', id, conflictsRetried: conflicts };
    }
    if (++conflicts > run.maxConflictRetries) return { outcome: 'failed', id, conflictsRetried: conflicts - 1, code: 'CONFLICT', retryable: true };
    if (result.written) {
      // The write went through but replaced something other than what was read (an attribute
      // added since, or changed outside a condition too large to name every attribute). That
      // replaced item came back whole (ALL_OLD): encrypt it and put it in place of this run's
      // own write, conditional on that write still being there.
      const next = await repairStep(run, result.old, pending.item);
      if ('outcome' in next) return { ...next, id, conflictsRetried: conflicts };
      pending = next;
      continue;
    }
    pending = undefined;
    current = result.current;
  }
}

type Verdict = { outcome: 'refused' | 'failed'; code: string; retryable?: boolean };

async function repairStep(run: ItemRun, replaced: StoredItem | undefined, own: StoredItem): Promise<Step | Verdict> {
  // The condition always names the key attributes, so a write that succeeded replaced an item.
  if (replaced === undefined) return { outcome: 'failed', code: 'INTERNAL', retryable: false };
  if (itemState(replaced) !== 'plaintext') return { item: replaced, condition: ownWriteCondition(own), expected: own };
  try {
    return { item: (await encryptItem(replaced, run.table)), condition: ownWriteCondition(own), expected: own };
  } catch (error) {
    // The newer item cannot be encrypted (the guard refuses it): put it back exactly as the
    // application left it; if someone wrote again meanwhile, theirs is newer and stays.
    const failure = describeFailure(error);
    for (let attempt = 0; attempt < 3; attempt++) {
      const restored = await conditionalPut(run.client, run.table.tableName, replaced, ownWriteCondition(own), keyOf(run.table, replaced)).catch(() => undefined);
      if (restored !== undefined) break;
    }
    return { outcome: failure.code === 'PHI_DETECTED' ? 'refused' : 'failed', code: failure.code, retryable: failure.retryable };
  }
}
