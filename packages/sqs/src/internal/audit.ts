import type { Envelope } from '@phiseal/core';
import { PhisealError } from '@phiseal/core';

// The digest of an empty context, as @phiseal/core computes it (SHA-256 of the canonical
// encoding 0x0000, first 16 bytes): queue events carry no context of their own.
const EMPTY_CONTEXT_DIGEST = '96a296d224f285c67bee93c30f8a3091';

/**
 * Emits one value-free audit event for a queue operation (no body, key or context values;
 * the encryption itself is audited by the envelope).
 */
export function auditSqs(envelope: Envelope, operation: string, error?: unknown): void {
  envelope.emitAudit({
    operation,
    time: Date.now(),
    keyId: '',
    cacheHit: false,
    contextKeys: [],
    contextDigest: EMPTY_CONTEXT_DIGEST,
    outcome: error === undefined ? 'success' : 'failure',
    ...(error === undefined ? {} : { errorCode: PhisealError.is(error) ? error.code : 'AWS_REQUEST_FAILED' }),
  });
}
