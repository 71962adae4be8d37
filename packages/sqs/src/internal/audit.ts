import { auditEvent, type Envelope } from '@phiseal/core';

/**
 * Emits one value-free audit event for a queue operation (no body, key or context values;
 * the encryption itself is audited by the envelope, with its key and context digest).
 */
export function auditSqs(envelope: Envelope, operation: string, error?: unknown): void {
  envelope.emitAudit(auditEvent(operation, {}, '', false, error));
}
