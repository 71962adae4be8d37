import { auditEvent } from '@phiseal/core';
import type { ResolvedTable } from './resolve-table.js';

// One audit event per request on a configured table. Like core's events (built by core's
// auditEvent) it carries the context's keys and a digest of it, never values.

/** Filled in by the work being audited: the id of the key that wraps the item's data key. */
export type AuditNote = { keyId?: string };

/**
 * Runs `work` for `t` and emits `dynamodb.<operation>` with its outcome.
 * @throws whatever `work` throws (after emitting a failure event).
 * @example
 * ```ts
 * await audited(table, 'PutItem', (note) => encryptResolved(table, item, note));
 * ```
 */
export async function audited<T>(t: ResolvedTable, operation: string, work: (note: AuditNote) => Promise<T>): Promise<T> {
  const note: AuditNote = {};
  const before = t.envelope.stats();
  const emit = (error?: unknown): void => {
    const after = t.envelope.stats();
    // No key-provider call during the request means every data key came from the cache.
    const cacheHit =
      after.kmsGenerateDataKeyCalls === before.kmsGenerateDataKeyCalls && after.kmsDecryptCalls === before.kmsDecryptCalls;
    t.envelope.emitAudit(auditEvent(`dynamodb.${operation}`, t.context, note.keyId ?? 'unknown', cacheHit, error));
  };
  try {
    const result = await work(note);
    emit();
    return result;
  } catch (error) {
    emit(error ?? new Error('unknown failure'));
    throw error;
  }
}
