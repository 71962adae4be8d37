import { createHash } from 'node:crypto';
import type { AuditEvent, Envelope } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';

// Same digest as @phiseal/core's audit events (first 16 bytes of SHA-256 over the
// canonical binary context), so S3 events link with the envelope's own events.
function digest(context: Readonly<Record<string, string>>): string {
  const keys = Object.keys(context).sort();
  const parts: Buffer[] = [];
  const count = Buffer.alloc(2);
  count.writeUInt16BE(keys.length);
  parts.push(count);
  for (const key of keys) {
    for (const text of [key, context[key] ?? '']) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex').slice(0, 32);
}

/** Emits one value-free audit event for an S3 operation. */
export function auditS3(
  envelope: Envelope,
  operation: string,
  context: Readonly<Record<string, string>>,
  keyId: string,
  error?: unknown,
): void {
  const event: AuditEvent = {
    operation,
    time: Date.now(),
    keyId,
    cacheHit: false,
    contextKeys: Object.keys(context).sort(),
    contextDigest: digest(context),
    outcome: error === undefined ? 'success' : 'failure',
  };
  if (error !== undefined) event.errorCode = PhisealError.is(error) ? error.code : 'AWS_REQUEST_FAILED';
  envelope.emitAudit(event);
}
