import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';

type ClientConfig = {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};

/** Endpoint, region and dummy credentials of the emulator for this test run. */
export function awsClientConfig(): ClientConfig {
  const endpoint = inject('awsEndpoint') ?? process.env['AWS_ENDPOINT_URL'];
  if (!endpoint) throw new Error('No emulator endpoint: run the tests through vitest (pnpm test).');
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

export const kmsClient = (): KMSClient => new KMSClient(awsClientConfig());
export const dynamoClient = (): DynamoDBClient => new DynamoDBClient(awsClientConfig());
export const sqsClient = (): SQSClient => new SQSClient(awsClientConfig());
// moto serves buckets by path; virtual-hosted names would need DNS for 127.0.0.1.
export const s3Client = (): S3Client => new S3Client({ ...awsClientConfig(), forcePathStyle: true });
