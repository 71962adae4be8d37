import { describe, expect, it } from 'vitest';
import { fromRecordOutcome } from './record-outcome.js';

describe('fromRecordOutcome', () => {
  it('maps each unit outcome to the handler outcome', () => {
    expect(fromRecordOutcome({ outcome: 'migrated' })).toEqual({ kind: 'succeeded', reason: 'migrated' });
    expect(fromRecordOutcome({ outcome: 'skipped', code: 'ENCRYPTED' })).toEqual({ kind: 'succeeded', reason: 'already-encrypted' });
    expect(fromRecordOutcome({ outcome: 'skipped', code: 'INSTRUCTION_FILE' })).toEqual({ kind: 'succeeded', reason: 'skipped-instruction-file' });
    // A Batch Operations task for a key that is gone must not count as done.
    expect(fromRecordOutcome({ outcome: 'skipped', code: 'GONE' })).toEqual({ kind: 'failed', reason: 'no-such-key' });
    expect(fromRecordOutcome({ outcome: 'refused', code: 'PHI_DETECTED' })).toEqual({ kind: 'failed', reason: 'phi-detected' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'DECRYPTION_FAILED', retryable: false })).toEqual({ kind: 'failed', reason: 'decryption-failed' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'AccessDenied', retryable: false })).toEqual({ kind: 'failed', reason: 'aws-AccessDenied' });
  });

  it('retries what the unit calls retryable, with a reason that is a fixed word', () => {
    expect(fromRecordOutcome({ outcome: 'failed', code: 'CONFLICT', retryable: true })).toMatchObject({ kind: 'retry', reason: 'conflict' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'SlowDown', retryable: true })).toMatchObject({ kind: 'retry', reason: 'throttled' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'KMS_UNAVAILABLE', retryable: true })).toMatchObject({ kind: 'retry', reason: 'kms-unavailable' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'Unknown', retryable: true })).toMatchObject({ kind: 'retry', reason: 'service-unavailable' });
    expect(fromRecordOutcome({ outcome: 'failed', code: 'scans/Jane Doe.dcm', retryable: true })).toMatchObject({ kind: 'retry', reason: 'service-unavailable' });
  });
});
