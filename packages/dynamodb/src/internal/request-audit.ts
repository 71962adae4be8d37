import { createHash } from 'node:crypto';
import { PhisealError } from '@phiseal/core';
import type { ResolvedTable } from './resolve-table.js';

// One audit event per request on a configured table. Like core's events it carries the
// context's keys and a digest of it, never values.

const digests = new WeakMap<ResolvedTable, string>();

function digest(t: ResolvedTable): string {
  let d = digests.get(t);
  if (d === undefined) {
    const h = createHash('sha256');
    const keys = Object.keys(t.context).sort();
    const count = Buffer.alloc(2);
    count.writeUInt16BE(keys.length);
    h.update(count);
    for (const k of keys) {
      for (const s of [k, t.context[k] ?? '']) {
        const b = Buffer.from(s, 'utf8');
        const len = Buffer.alloc(2);
        len.writeUInt16BE(b.length);
        h.update(len).update(b);
      }
    }
    d = h.digest('hex').slice(0, 32);
    digests.set(t, d);
  }
  return d;
}

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
  const emit = (outcome: 'success' | 'failure', error?: unknown): void => {
    const after = t.envelope.stats();
    t.envelope.emitAudit({
      operation: `dynamodb.${operation}`,
      time: Date.now(),
      keyId: note.keyId ?? 'unknown',
      cacheHit:
        after.kmsGenerateDataKeyCalls === before.kmsGenerateDataKeyCalls && after.kmsDecryptCalls === before.kmsDecryptCalls,
      contextKeys: Object.keys(t.context).sort(),
      contextDigest: digest(t),
      outcome,
      ...(outcome === 'failure' && PhisealError.is(error) ? { errorCode: error.code } : {}),
    });
  };
  try {
    const result = await work(note);
    emit('success');
    return result;
  } catch (error) {
    emit('failure', error);
    throw error;
  }
}
