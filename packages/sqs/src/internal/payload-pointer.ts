// The extended clients' pointer body and receipt-handle encoding (payloadoffloading-common
// PayloadS3Pointer; Java AmazonSQSExtendedClient and Python sqs_extended_client).
import { BUCKET_MARKER, KEY_MARKER, LEGACY_POINTER_CLASS, POINTER_CLASS } from './constants.js';
import { malformed } from './errors.js';
import type { PayloadLocation } from '../types.js';

/**
 * The message body of an offloaded message, byte for byte what the extended clients write:
 * `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b","s3Key":"k"}]`.
 */
export function formatPointer(location: PayloadLocation, legacy = false): string {
  return JSON.stringify([legacy ? LEGACY_POINTER_CLASS : POINTER_CLASS, { s3BucketName: location.bucket, s3Key: location.key }]);
}

/**
 * Parses a pointer body (either class name).
 * @throws PhisealError `MALFORMED_CIPHERTEXT` when the body is not a pointer, or names a bucket
 * or key holding a receipt-handle marker.
 */
export function parsePointer(body: string): PayloadLocation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw malformed({ part: 'pointer' });
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw malformed({ part: 'pointer' });
  const [kind, target] = parsed as [unknown, unknown];
  if (kind !== POINTER_CLASS && kind !== LEGACY_POINTER_CLASS) throw malformed({ part: 'pointer' });
  if (typeof target !== 'object' || target === null) throw malformed({ part: 'pointer' });
  const { s3BucketName, s3Key } = target as { s3BucketName?: unknown; s3Key?: unknown };
  if (typeof s3BucketName !== 'string' || typeof s3Key !== 'string' || s3BucketName === '' || s3Key === '') {
    throw malformed({ part: 'pointer' });
  }
  // No writer puts a receipt-handle marker in a bucket or key (payloadKeyPrefix refuses them):
  // one would make the handle receive() builds split elsewhere, so the message could never be deleted.
  if ([s3BucketName, s3Key].some((part) => part.includes(BUCKET_MARKER) || part.includes(KEY_MARKER))) {
    throw malformed({ part: 'pointer' });
  }
  return { bucket: s3BucketName, key: s3Key };
}

/** `-..s3BucketName..-<bucket>-..s3BucketName..--..s3Key..-<key>-..s3Key..-<receipt handle>`. */
export function embedInReceiptHandle(location: PayloadLocation, receiptHandle: string): string {
  return `${BUCKET_MARKER}${location.bucket}${BUCKET_MARKER}${KEY_MARKER}${location.key}${KEY_MARKER}${receiptHandle}`;
}

/**
 * Splits a receipt handle into the SQS handle and, when it carries one, the payload
 * location. Like the Java client, the SQS handle is what follows the second key marker
 * (the Python client's `split('-')[-1]` would break on handles containing '-').
 */
export function parseReceiptHandle(handle: string): { receiptHandle: string; payload?: PayloadLocation } {
  if (!handle.startsWith(BUCKET_MARKER)) return { receiptHandle: handle };
  const bucketEnd = handle.indexOf(BUCKET_MARKER, BUCKET_MARKER.length);
  if (bucketEnd < 0 || !handle.startsWith(KEY_MARKER, bucketEnd + BUCKET_MARKER.length)) return { receiptHandle: handle };
  const keyStart = bucketEnd + BUCKET_MARKER.length + KEY_MARKER.length;
  const keyEnd = handle.indexOf(KEY_MARKER, keyStart);
  if (keyEnd < 0) return { receiptHandle: handle };
  const bucket = handle.slice(BUCKET_MARKER.length, bucketEnd);
  const key = handle.slice(keyStart, keyEnd);
  const receiptHandle = handle.slice(keyEnd + KEY_MARKER.length);
  if (bucket === '' || key === '' || receiptHandle === '') return { receiptHandle: handle };
  return { receiptHandle, payload: { bucket, key } };
}
