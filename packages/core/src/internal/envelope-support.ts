import type { Guard } from '@phiseal/guard';
import { PhisealError } from '@phiseal/guard';
import type { AuditEvent } from '../audit.js';
import type { CacheUsage } from '../data-key-cache.js';
import type { DataKeyUsage } from '../envelope-types.js';
import type { EncryptionContext } from '../key-provider.js';
import { utf8 } from './bytes.js';
import { auditContext } from './audit-context.js';
import { invalidArgument } from './failures.js';

export const OFF_GUARD: Guard = { mode: 'off', check: () => undefined, inspect: () => [] };

export function requireContext(expected: EncryptionContext, stored: EncryptionContext): void {
  for (const [key, value] of Object.entries(expected)) {
    if (!Object.hasOwn(stored, key) || stored[key] !== value) {
      throw new PhisealError('CONTEXT_MISMATCH', 'The message was not encrypted with the expected encryption context.', {
        details: { key },
      });
    }
  }
}

export function toPlaintext(value: Uint8Array | string): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  if (value instanceof Uint8Array) return value;
  throw invalidArgument('plaintext must be a string or a Uint8Array');
}

/**
 * Builds an audit event the way the envelope does — the context's keys and a digest of
 * it, never its values — so adapters can report their own operations through
 * `envelope.emitAudit`.
 *
 * @throws never
 * @example
 * ```ts
 * envelope.emitAudit(auditEvent('s3.putObject', context, keyId, false));
 * ```
 */
export function auditEvent(
  operation: AuditEvent['operation'],
  context: EncryptionContext,
  keyId: string,
  cacheHit: boolean,
  error?: unknown,
): AuditEvent {
  const event: AuditEvent = {
    operation,
    time: Date.now(),
    keyId,
    cacheHit,
    ...auditContext(context),
    outcome: error === undefined ? 'success' : 'failure',
  };
  if (error !== undefined) event.errorCode = PhisealError.is(error) ? error.code : 'AWS_REQUEST_FAILED';
  return event;
}

/** Validates what `envelope.dataKey` charges against a cached key's limits. */
export function usageOf(usage: DataKeyUsage | undefined): CacheUsage {
  const messages = usage?.messages ?? 1;
  const bytes = usage?.bytes ?? 0;
  if (!Number.isSafeInteger(messages) || messages < 1 || !Number.isSafeInteger(bytes) || bytes < 0) {
    throw invalidArgument('usage.messages must be a positive integer and usage.bytes a non-negative integer');
  }
  return { messages, bytes };
}
