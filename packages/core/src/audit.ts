import type { PhisealErrorCode } from '@phiseal/guard';

/**
 * One audit record. Carries which key, which operation, whether the cache served it, the
 * context's keys and a digest of it — never plaintext, key bytes or context values.
 *
 * `contextDigest` is the first 16 bytes (hex) of SHA-256 over the canonical context: it
 * links events about the same context without revealing it. It is not secret against
 * guessing, which is one more reason contexts must never hold PHI (the guard enforces it).
 *
 * @example
 * ```ts
 * import { createEnvelope, type AuditEvent } from '@phiseal/core';
 * const audit = (event: AuditEvent): void => {
 *   // Value-free: safe to ship to a log pipeline as it is.
 *   console.log(JSON.stringify({ op: event.operation, key: event.keyId, hit: event.cacheHit, outcome: event.outcome, code: event.errorCode }));
 * };
 * const envelope = createEnvelope({ keys, audit });
 * ```
 */
export type AuditEvent = {
  /** What happened. Adapters add their own operations (for example `s3.putObject`). */
  operation:
    | 'encrypt'
    | 'decrypt'
    | 'encryptStream'
    | 'decryptStream'
    | 'generateDataKey'
    | 'unwrapDataKey'
    | (string & {});
  /** Milliseconds since the epoch. */
  time: number;
  /**
   * The wrapping key's id (a KMS key ARN for KMS) once the data key is known; the key
   * provider's id when the operation failed before that.
   */
  keyId: string;
  /** Whether the data key came from the cache. */
  cacheHit: boolean;
  /** The encryption context's keys, sorted. */
  contextKeys: readonly string[];
  /** Hex, 32 characters. */
  contextDigest: string;
  outcome: 'success' | 'failure';
  /** Set when `outcome` is `failure`. */
  errorCode?: PhisealErrorCode;
  /**
   * On `<adapter>.plaintextRead` events: the switch-over stage under which a plaintext
   * record was read (or refused), so an operator can see which services still read plaintext.
   */
  plaintextPolicy?: 'write-plaintext' | 'write-encrypted' | 'encrypted-only';
};
