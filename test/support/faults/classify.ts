// Which AWS service and operation a request is, from what the SDK puts on the wire: the
// SigV4 credential scope names the service; JSON protocols (KMS, DynamoDB, SQS) name the
// operation in X-Amz-Target; S3 (REST-XML) is known by method, path and query.
import type { IncomingHttpHeaders } from 'node:http';

/** The services phiseal calls. */
export type Service = 'kms' | 'dynamodb' | 's3' | 'sqs' | 'unknown';

/** One classified request. */
export type AwsCall = { service: Service; operation: string };

function scopeService(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers['authorization'];
  const match = typeof auth === 'string' ? /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth) : null;
  return match?.[1];
}

function service(headers: IncomingHttpHeaders, target: string | undefined): Service {
  const scoped = scopeService(headers);
  if (scoped === 'kms' || scoped === 'dynamodb' || scoped === 's3' || scoped === 'sqs') return scoped;
  if (target?.startsWith('TrentService.')) return 'kms';
  if (target?.startsWith('DynamoDB_')) return 'dynamodb';
  if (target?.startsWith('AmazonSQS.')) return 'sqs';
  return 'unknown';
}

// S3 operations phiseal uses, path-style (`/bucket/key?query`).
function s3Operation(method: string, url: URL, headers: IncomingHttpHeaders): string {
  const q = url.searchParams;
  const hasKey = url.pathname.split('/').filter(Boolean).length > 1;
  switch (method) {
    case 'GET':
      if (!hasKey) return q.has('uploads') ? 'ListMultipartUploads' : q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      return q.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return hasKey ? 'HeadObject' : 'HeadBucket';
    case 'PUT':
      if (q.has('uploadId') && q.has('partNumber')) return 'UploadPart';
      if (!hasKey) return 'CreateBucket';
      return headers['x-amz-copy-source'] === undefined ? 'PutObject' : 'CopyObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('delete')) return 'DeleteObjects';
      return 'Post';
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      return hasKey ? 'DeleteObject' : 'DeleteBucket';
    default:
      return method;
  }
}

/** Names the service and operation of a request as the SDK sent it. */
export function classify(method: string, path: string, headers: IncomingHttpHeaders): AwsCall {
  const header = headers['x-amz-target'];
  const target = typeof header === 'string' ? header : undefined;
  const svc = service(headers, target);
  if (target !== undefined) return { service: svc, operation: target.slice(target.indexOf('.') + 1) };
  if (svc === 's3') return { service: svc, operation: s3Operation(method, new URL(path, 'http://proxy'), headers) };
  return { service: svc, operation: method };
}
