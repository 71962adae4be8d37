// The migration's per-record units report what they did as a RecordOutcome (migrated,
// skipped, refused, failed with a code and whether a retry may help). The fan-out
// handlers turn that into their own three-way outcome.
import { failed, succeeded, type UnitOutcome } from './unit-outcome.js';

/** The fields of the migration's `RecordOutcome` the handlers read. */
export type UnitRecordOutcome = {
  readonly outcome: 'migrated' | 'skipped' | 'refused' | 'failed';
  readonly code?: string;
  readonly retryable?: boolean;
};

const THROTTLED = /throttl|SlowDown|RequestLimitExceeded|TooManyRequests|ProvisionedThroughputExceeded/i;

/** A reason word from a code: `PHI_DETECTED` -> `phi-detected`, an AWS name kept as `aws-Name`. */
export function reasonOf(code: string | undefined, fallback: string): string {
  if (code === undefined || !/^[A-Za-z][A-Za-z0-9._]{0,63}$/.test(code)) return fallback;
  if (/^[A-Z][A-Z0-9_]*$/.test(code)) return code.toLowerCase().replaceAll('_', '-');
  if (THROTTLED.test(code)) return 'throttled';
  return `aws-${code}`;
}

// A retryable AWS error whose name says nothing (a HEAD answered 503 has no body to name it)
// was a 5xx or a 429: the unit only calls those retryable.
function retryReason(code: string | undefined): string {
  if (code === 'CONFLICT') return 'conflict';
  const reason = reasonOf(code, 'service-unavailable');
  return reason.startsWith('aws-') ? 'service-unavailable' : reason;
}

/**
 * The handler outcome of a unit's record outcome. An object that was gone is a permanent
 * failure here (a Batch Operations task for a missing key must not count as done).
 * @throws never
 * @example
 * ```ts
 * fromRecordOutcome({ outcome: 'skipped', code: 'ENCRYPTED' }); // { kind: 'succeeded', reason: 'already-encrypted' }
 * ```
 */
export function fromRecordOutcome(record: UnitRecordOutcome): UnitOutcome {
  switch (record.outcome) {
    case 'migrated':
      return succeeded('migrated');
    case 'skipped':
      if (record.code === 'GONE') return failed('no-such-key');
      return succeeded(record.code === 'ENCRYPTED' || record.code === undefined ? 'already-encrypted' : `skipped-${reasonOf(record.code, 'other')}`);
    case 'refused':
      return failed(reasonOf(record.code, 'refused'));
    default: {
      if (record.retryable !== true) return failed(reasonOf(record.code, 'failed'));
      return { kind: 'retry', reason: retryReason(record.code), cause: undefined };
    }
  }
}
