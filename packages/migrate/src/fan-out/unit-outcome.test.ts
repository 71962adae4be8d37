import { S3ServiceException } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './unit-outcome.js';

// Service errors shaped as the SDK builds them from an error response.
const service = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  new S3ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: 'the message may echo scans/Jane Doe.dcm' });

describe('classifyFailure', () => {
  it('retries throttling, 5xx, conflicts and transport failures', () => {
    expect(classifyFailure(service('SlowDown', 503))).toMatchObject({ kind: 'retry', reason: 'throttled' });
    expect(classifyFailure(service('ProvisionedThroughputExceededException', 400))).toMatchObject({ kind: 'retry', reason: 'throttled' });
    expect(classifyFailure(service('InternalError', 500))).toMatchObject({ kind: 'retry', reason: 'service-unavailable' });
    expect(classifyFailure(service('PreconditionFailed', 412))).toMatchObject({ kind: 'retry', reason: 'conflict' });
    expect(classifyFailure(service('ConditionalRequestConflict', 409))).toMatchObject({ kind: 'retry', reason: 'conflict' });
    expect(classifyFailure(service('RequestTimeout', 400))).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyFailure(new PhisealError('KMS_UNAVAILABLE', 'x'))).toMatchObject({ kind: 'retry', reason: 'kms-unavailable' });
    expect(classifyFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ kind: 'retry', reason: 'request-failed' });
  });

  it('fails for good what a retry cannot fix, with a reason free of values', () => {
    expect(classifyFailure(new PhisealError('PHI_DETECTED', 'x'))).toEqual({ kind: 'failed', reason: 'phi-detected' });
    expect(classifyFailure(new PhisealError('KMS_KEY_UNUSABLE', 'x'))).toEqual({ kind: 'failed', reason: 'kms-key-unusable' });
    expect(classifyFailure(service('NoSuchKey', 404))).toEqual({ kind: 'failed', reason: 'no-such-key' });
    expect(classifyFailure(service('NotFound', 404))).toEqual({ kind: 'failed', reason: 'no-such-key' });
    expect(classifyFailure(service('NoSuchVersion', 404))).toEqual({ kind: 'failed', reason: 'no-such-version' });
    expect(classifyFailure(service('AccessDenied', 403))).toEqual({ kind: 'failed', reason: 'access-denied' });
    expect(classifyFailure(service('InvalidObjectState', 403))).toEqual({ kind: 'failed', reason: 'aws-InvalidObjectState' });
    expect(classifyFailure(service('InvalidRequest', 400))).toEqual({ kind: 'failed', reason: 'aws-InvalidRequest' });
    // A name that is not a code is not echoed.
    expect(classifyFailure(service('scans/Jane Doe.dcm', 400))).toEqual({ kind: 'failed', reason: 'aws-unknown' });
    expect(classifyFailure(new TypeError('bug'))).toEqual({ kind: 'failed', reason: 'internal-error' });
  });
});
