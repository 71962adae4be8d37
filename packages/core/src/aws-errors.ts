import { PhisealError, type PhisealErrorDetails } from '@phiseal/guard';

/**
 * True when an AWS service answered with an error response (the SDK's modeled or generic
 * `ServiceException`: `$fault` is `client` or `server` and `$metadata` carries the HTTP status).
 * A reset connection, a timeout or a body cut short has no such answer.
 *
 * @throws never
 * @example
 * ```ts
 * try { await s3.send(new GetObjectCommand({ Bucket, Key })); }
 * catch (error) { if (isAwsServiceError(error)) console.log(error.name); }
 * ```
 */
export function isAwsServiceError(error: unknown): error is Error & { $fault: 'client' | 'server'; $metadata: { httpStatusCode?: number } } {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { $fault?: unknown; $metadata?: unknown };
  if (candidate.$fault !== 'client' && candidate.$fault !== 'server') return false;
  const metadata = candidate.$metadata as { httpStatusCode?: unknown } | undefined;
  return typeof metadata === 'object' && metadata !== null && typeof metadata.httpStatusCode === 'number';
}

/**
 * The error a phiseal adapter throws when an AWS call fails, by the one error policy:
 * a `PhisealError` stays as it is; an AWS service error (NoSuchKey, AccessDenied,
 * QueueDoesNotExist…) is returned unchanged so that `instanceof`, `name` and `$metadata`
 * keep working; anything else (no service answer: reset, timeout, cut body) becomes
 * `AWS_REQUEST_FAILED`, retryable, with the original in `cause`. The message names only the
 * operation and the error's name: SDK messages can echo request values.
 *
 * @throws never (it returns the error to throw)
 * @example
 * ```ts
 * try { await sqs.send(command); } catch (error) { throw awsCallFailure('SQS', 'SendMessage', error); }
 * ```
 */
export function awsCallFailure(service: string, operation: string, error: unknown, details: PhisealErrorDetails = {}): Error {
  if (PhisealError.is(error)) return error;
  if (isAwsServiceError(error)) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error';
  return new PhisealError('AWS_REQUEST_FAILED', `${service} ${operation} failed (${name}).`, {
    cause: error,
    details: { ...details, operation, awsError: name },
    retryable: true,
  });
}
