import { PhisealError } from '@phiseal/core';
import { invalidRecord } from './record.js';

// The error policy of docs (HELPERS "Error policy"): KMS failures split into
// KMS_KEY_UNUSABLE (do not retry) and KMS_UNAVAILABLE (retry); DynamoDB service errors reach
// the caller as the SDK's own objects; transport failures with no service answer become
// AWS_REQUEST_FAILED. Only error names travel in messages: AWS messages can quote request
// fields, and here those are branch key ids and encryption-context values.

const KEY_UNUSABLE = new Set([
  'NotFoundException',
  'DisabledException',
  'AccessDeniedException',
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
  'InvalidGrantTokenException',
]);
// KMS says this ciphertext does not open under this context: the stored record was altered.
const WRONG_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

const answered = (error: unknown): boolean =>
  error instanceof Error && typeof (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 'number';

/** Maps an error of a KMS call made for the key store. */
export function kmsFailure(error: unknown, operation: string): Error {
  if (PhisealError.is(error)) return error;
  const name = error instanceof Error ? error.name : 'Unknown';
  if (WRONG_CIPHERTEXT.has(name)) return invalidRecord('KMS refused its enc under its encryption context');
  const details = { awsError: name, operation };
  if (KEY_UNUSABLE.has(name)) {
    return new PhisealError('KMS_KEY_UNUSABLE', `KMS ${operation} refused the key-store KMS key (${name}).`, { cause: error, details });
  }
  return new PhisealError('KMS_UNAVAILABLE', `KMS ${operation} failed (${name}).`, { cause: error, details });
}

/** Maps an error of a DynamoDB call: service answers pass through, transport failures are wrapped. */
export function ddbFailure(error: unknown, operation: string, write = false): Error {
  if (PhisealError.is(error)) return error;
  if (answered(error)) return error as Error;
  const name = error instanceof Error ? error.name : 'Unknown';
  return new PhisealError('AWS_REQUEST_FAILED', `DynamoDB ${operation} failed without a service answer (${name}).`, {
    cause: error,
    details: write ? { awsError: name, operation, outcome: 'unknown' } : { awsError: name, operation },
  });
}
