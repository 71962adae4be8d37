// The classification of KMS failures, on the SDK's real exception classes (as the client
// deserializes them) and on the transport errors Node and the SDK raise.
import {
  DisabledException,
  InvalidKeyUsageException,
  KMSInternalException,
  KMSInvalidStateException,
  KMSServiceException,
  NotFoundException,
  IncorrectKeyException,
} from '@aws-sdk/client-kms';
import { PhisealError } from '@phiseal/guard';
import { describe, expect, it } from 'vitest';
import { kmsFailure } from './kms-errors.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode, attempts: 1 }, message: 'quoted request value' });

describe('kmsFailure', () => {
  it.each([
    ['NotFoundException', new NotFoundException(meta(400))],
    ['DisabledException', new DisabledException(meta(400))],
    // Not modeled as a class: the SDK deserializes it as its generic service exception.
    ['AccessDeniedException', new KMSServiceException({ name: 'AccessDeniedException', $fault: 'client', ...meta(400) })],
    ['KMSInvalidStateException', new KMSInvalidStateException(meta(400))],
    ['InvalidKeyUsageException', new InvalidKeyUsageException(meta(400))],
    ['IncorrectKeyException', new IncorrectKeyException(meta(400))],
  ])('%s: KMS_KEY_UNUSABLE, not retryable, cause kept', (name, error) => {
    const failure = kmsFailure(error, 'GenerateDataKey');
    expect(failure.code).toBe('KMS_KEY_UNUSABLE');
    expect(failure.retryable).toBe(false);
    expect(failure.cause).toBe(error);
    expect(failure.details).toMatchObject({ awsError: name, operation: 'GenerateDataKey', httpStatusCode: 400 });
    expect(failure.message).not.toContain('quoted request value');
  });

  it.each([
    ['ThrottlingException (400)', new KMSServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta(400) })],
    ['a 5xx', new KMSInternalException(meta(500))],
    ['an unmodeled 503', new KMSServiceException({ name: 'ServiceUnavailable', $fault: 'server', ...meta(503) })],
    ['a 429', new KMSServiceException({ name: 'TooManyRequests', $fault: 'client', ...meta(429) })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
  ])('%s: KMS_UNAVAILABLE, retryable, cause kept', (_label, error) => {
    const failure = kmsFailure(error, 'Decrypt');
    expect(failure.code).toBe('KMS_UNAVAILABLE');
    expect(failure.retryable).toBe(true);
    expect(failure.cause).toBe(error);
  });

  it('missing credentials or region: KMS_KEY_UNUSABLE (no retry fixes the configuration)', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(kmsFailure(noCredentials, 'Encrypt')).toMatchObject({ code: 'KMS_KEY_UNUSABLE', retryable: false });
    expect(kmsFailure(new Error('Region is missing'), 'Encrypt')).toMatchObject({ code: 'KMS_KEY_UNUSABLE', retryable: false });
  });

  it('an unknown 4xx answer is not retried; a PhisealError passes unchanged', () => {
    const other = new KMSServiceException({ name: 'SomethingNew', $fault: 'client', ...meta(400) });
    expect(kmsFailure(other, 'Decrypt')).toMatchObject({ code: 'KMS_KEY_UNUSABLE', retryable: false });
    const own = new PhisealError('KEY_NOT_ALLOWED', 'x');
    expect(kmsFailure(own, 'Decrypt')).toBe(own);
  });
});
