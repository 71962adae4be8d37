import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './failure.js';

const serviceError = (name: string, status: number): Error =>
  Object.assign(new Error('quoted key patients/jane-doe'), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

describe('describeFailure', () => {
  it('keeps a PhisealError code and its retryable flag', () => {
    expect(describeFailure(new PhisealError('PHI_DETECTED', 'x'))).toEqual({ code: 'PHI_DETECTED', retryable: false });
  });

  it('keeps only the name of an AWS service error, retryable on throttling and 5xx', () => {
    expect(describeFailure(serviceError('SlowDown', 503))).toEqual({ code: 'SlowDown', retryable: true });
    expect(describeFailure(serviceError('AccessDenied', 403))).toEqual({ code: 'AccessDenied', retryable: false });
  });

  it('a request that got no answer (reset, timeout) is AWS_REQUEST_FAILED and retryable, as the error policy says', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(describeFailure(reset)).toEqual({ code: 'AWS_REQUEST_FAILED', retryable: true });
    expect(describeFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toEqual({ code: 'AWS_REQUEST_FAILED', retryable: true });
  });

  it('a programming error or a non-error is INTERNAL and not retried', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', retryable: false });
    expect(describeFailure('boom')).toEqual({ code: 'INTERNAL', retryable: false });
  });
});
