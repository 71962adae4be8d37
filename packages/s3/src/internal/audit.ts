import { auditEvent, type Envelope } from '@phiseal/core';

/**
 * Emits one value-free audit event for an S3 operation (built by core's auditEvent, so S3
 * events link with the envelope's own by context digest).
 */
export function auditS3(
  envelope: Envelope,
  operation: string,
  context: Readonly<Record<string, string>>,
  keyId: string,
  error?: unknown,
): void {
  envelope.emitAudit(auditEvent(operation, context, keyId, false, error));
}
