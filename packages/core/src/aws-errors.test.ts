// The one error policy for AWS calls, on the SDK's real exception classes.
import { KMSServiceException, NotFoundException } from '@aws-sdk/client-kms';
import { PhisealError } from '@phiseal/guard';
import { describe, expect, it } from 'vitest';
import { awsCallFailure, isAwsServiceError } from './aws-errors.js';

describe('awsCallFailure', () => {
  it('returns a service answer unchanged: instanceof, name and $metadata keep working', () => {
    const error = new NotFoundException({ $metadata: { httpStatusCode: 400, requestId: 'r1' }, message: 'alias/patient-1 missing' });
    const out = awsCallFailure('KMS', 'DescribeKey', error);
    expect(out).toBe(error);
    expect(out).toBeInstanceOf(NotFoundException);
    expect(isAwsServiceError(out)).toBe(true);
    const server = new KMSServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
    expect(awsCallFailure('KMS', 'Encrypt', server)).toBe(server);
  });

  it('a failure with no service answer becomes AWS_REQUEST_FAILED, retryable, with the cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET (patient-1)'), { code: 'ECONNRESET', $metadata: { attempts: 3 } });
    const out = awsCallFailure('SQS', 'SendMessage', reset, { queue: 'q' });
    expect(PhisealError.is(out)).toBe(true);
    expect(out).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true, cause: reset });
    expect((out as PhisealError).details).toEqual({ queue: 'q', operation: 'SendMessage', awsError: 'Error' });
    expect(out.message).not.toContain('patient-1');
    expect(isAwsServiceError(reset)).toBe(false);
    expect(isAwsServiceError('NoSuchKey')).toBe(false);
  });

  it('a PhisealError passes unchanged', () => {
    const own = new PhisealError('PHI_DETECTED', 'x');
    expect(awsCallFailure('S3', 'PutObject', own)).toBe(own);
  });
});
