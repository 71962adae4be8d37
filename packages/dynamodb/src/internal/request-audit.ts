import { auditEvent, PhisealError, type AuditEvent } from '@phiseal/core';
import type { ResolvedTable } from './resolve-table.js';

// One audit event per request on a configured table. Like core's events (built by core's
// auditEvent) it carries the context's keys and a digest of it, never values.

/** Filled in by the work being audited: the id of the key that wraps the item's data key. */
export type AuditNote = { keyId?: string };

type ContextFacts = Pick<AuditEvent, 'contextKeys' | 'contextDigest'>;

// A table's audit context never changes: its sorted keys and digest (core's auditEvent, once
// per table) are shared by every event of the table (the keys frozen), instead of sorting,
// canonicalizing and hashing it again for every item.
const factsOf = new WeakMap<ResolvedTable, ContextFacts>();

function eventOf(t: ResolvedTable, operation: string, keyId: string, cacheHit: boolean, error?: unknown): AuditEvent {
  const facts = factsOf.get(t);
  if (!facts) {
    const first = auditEvent(operation, t.context, keyId, cacheHit, error);
    factsOf.set(t, { contextKeys: Object.freeze([...first.contextKeys]), contextDigest: first.contextDigest });
    return first;
  }
  const event: AuditEvent = { operation, time: Date.now(), keyId, cacheHit, contextKeys: facts.contextKeys, contextDigest: facts.contextDigest, outcome: error === undefined ? 'success' : 'failure' };
  // As core's auditEvent: a PhisealError's code, else a failed AWS request.
  if (error !== undefined) event.errorCode = PhisealError.is(error) ? error.code : 'AWS_REQUEST_FAILED';
  return event;
}

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
    t.envelope.emitAudit(eventOf(t, `dynamodb.${operation}`, note.keyId ?? 'unknown', cacheHit, error));
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
