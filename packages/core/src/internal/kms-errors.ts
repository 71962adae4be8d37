import { PhisealError } from '@phiseal/guard';
import { isAwsServiceError } from '../aws-errors.js';

// KMS answers that say "this key cannot be used for this request": repeating the call cannot
// help (https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html and each action's
// Errors section). IncorrectKeyException on Decrypt is handled earlier as a wrong ciphertext.
const KEY_UNUSABLE = new Set([
  'NotFoundException',
  'DisabledException',
  'AccessDeniedException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'IncorrectKeyException',
  'InvalidArnException',
  'InvalidGrantTokenException',
  'UnsupportedOperationException',
  'DryRunOperationException',
  'ValidationException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'OptInRequired',
]);

// Service answers that are transient even though some come back as 4xx.
const TRANSIENT = new Set([
  'ThrottlingException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'KeyUnavailableException',
  'DependencyTimeoutException',
  'KMSInternalException',
  'ServiceUnavailable',
  'InternalFailure',
]);

// Local failures that no retry fixes: the client has no credentials or no region.
const CONFIGURATION = new Set(['CredentialsProviderError', 'TokenProviderError']);

const nameOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : 'Error';

function isUnusable(error: unknown, name: string): boolean {
  if (KEY_UNUSABLE.has(name) || CONFIGURATION.has(name)) return true;
  if (TRANSIENT.has(name)) return false;
  if (isAwsServiceError(error)) {
    // Any other answer: a 4xx is about the request (do not retry), a 5xx about KMS (retry).
    const status = error.$metadata.httpStatusCode ?? 500;
    return error.$fault === 'client' && status < 500 && status !== 429;
  }
  // No region configured: the SDK throws before sending anything.
  return error instanceof Error && /region is missing/i.test(error.message);
}

/**
 * Turns a failed KMS call into `KMS_KEY_UNUSABLE` (do not retry) or `KMS_UNAVAILABLE`
 * (throttling, 5xx, network, timeout: retry), keeping the original in `cause`. Only the
 * error's name travels in message and details: KMS messages can quote the request.
 */
export function kmsFailure(error: unknown, operation: string): PhisealError {
  if (PhisealError.is(error)) return error;
  const name = nameOf(error);
  const status = isAwsServiceError(error) ? error.$metadata.httpStatusCode : undefined;
  const details = { awsError: name, operation, ...(status === undefined ? {} : { httpStatusCode: status }) };
  if (isUnusable(error, name)) {
    return new PhisealError('KMS_KEY_UNUSABLE', `KMS ${operation} refused the key (${name}); retrying will not help.`, {
      cause: error,
      details,
      retryable: false,
    });
  }
  return new PhisealError('KMS_UNAVAILABLE', `KMS ${operation} failed (${name}); no data key was produced.`, {
    cause: error,
    details,
    retryable: true,
  });
}
