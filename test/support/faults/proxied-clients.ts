// Real AWS SDK clients whose endpoint is a fault proxy.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../clients.js';
import { fastRetry } from './fast-retry.js';
import type { FaultProxy } from './fault-proxy.js';

/** The four clients phiseal uses, all through `proxy`. */
export type ProxiedClients = { kms: KMSClient; dynamodb: DynamoDBClient; s3: S3Client; sqs: SQSClient };

/**
 * Clients through `proxy`, with `maxAttempts` attempts per call (default 3, the SDK's own
 * default) a few milliseconds apart.
 */
export function proxiedClients(proxy: FaultProxy, options: { maxAttempts?: number } = {}): ProxiedClients {
  const maxAttempts = options.maxAttempts ?? 3;
  const config = () => ({ ...awsClientConfig(), endpoint: proxy.endpoint, maxAttempts, retryStrategy: fastRetry(maxAttempts) });
  return {
    kms: new KMSClient(config()),
    dynamodb: new DynamoDBClient(config()),
    s3: new S3Client({ ...config(), forcePathStyle: true }),
    sqs: new SQSClient(config()),
  };
}
