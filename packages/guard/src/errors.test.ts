import { describe, expect, it } from 'vitest';
import { PhisealError } from './index.js';

describe('PhisealError.retryable', () => {
  it('defaults by code: transient AWS and KMS failures are retryable, everything else is not', () => {
    expect(new PhisealError('KMS_UNAVAILABLE', 'x').retryable).toBe(true);
    expect(new PhisealError('AWS_REQUEST_FAILED', 'x').retryable).toBe(true);
    expect(new PhisealError('KMS_KEY_UNUSABLE', 'x').retryable).toBe(false);
    expect(new PhisealError('DECRYPTION_FAILED', 'x').retryable).toBe(false);
    expect(new PhisealError('PLAINTEXT_REFUSED', 'x').retryable).toBe(false);
  });

  it('lets the thrower override the default and keeps one level of nested details', () => {
    const error = new PhisealError('AWS_REQUEST_FAILED', 'x', {
      retryable: false,
      details: { outcome: 'unknown', incompleteUpload: { bucket: 'b', key: 'k', uploadId: 'u' } },
    });
    expect(error.retryable).toBe(false);
    expect(error.details['incompleteUpload']).toEqual({ bucket: 'b', key: 'k', uploadId: 'u' });
    expect(Object.isFrozen(error.details)).toBe(true);
  });
});
