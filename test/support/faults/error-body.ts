// The error responses AWS sends, so the SDK's own deserializers build the same error
// objects they would build against AWS: JSON (awsJson 1.0/1.1: KMS, DynamoDB, SQS) with a
// `__type`, or the S3 REST-XML `<Error>` document.
import type { Service } from './classify.js';

/** A status line, headers and body to send instead of the service's answer. */
export type ErrorResponse = { status: number; headers: Record<string, string>; body: Buffer };

/** An AWS error response for `service` with error code `code`. */
export function errorResponse(service: Service, status: number, code: string, method: string): ErrorResponse {
  const requestId = 'fault-proxy-00000000';
  if (service === 's3') {
    // A HEAD response never has a body; the SDK names the error from the status alone.
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the fault proxy</Message><RequestId>${requestId}</RequestId></Error>`;
    const body = method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(xml);
    return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
  }
  const json = JSON.stringify({ __type: code, message: 'injected by the fault proxy' });
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': code,
      // SQS's JSON protocol names the query-compatible code here.
      ...(service === 'sqs' ? { 'x-amzn-query-error': `${code};${status < 500 ? 'Sender' : 'Receiver'}` } : {}),
    },
    body: Buffer.from(json),
  };
}

/** The throttling error each service sends (S3: 503 SlowDown; the JSON services: 400). */
export function throttleResponse(service: Service, method: string): ErrorResponse {
  if (service === 's3') return errorResponse(service, 503, 'SlowDown', method);
  if (service === 'sqs') return errorResponse(service, 400, 'RequestThrottled', method);
  if (service === 'dynamodb') return errorResponse(service, 400, 'ProvisionedThroughputExceededException', method);
  return errorResponse(service, 400, 'ThrottlingException', method);
}
