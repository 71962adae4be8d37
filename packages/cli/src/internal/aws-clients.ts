import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/** The AWS clients `scan` reads with. Region, credentials and endpoint come from the AWS environment and config. */
export type AwsClients = { s3: S3Client; dynamodb: DynamoDBClient; sqs: SQSClient; kms: KMSClient };

/**
 * Clients from the standard AWS environment. With an endpoint override (`AWS_ENDPOINT_URL`,
 * as for an emulator) S3 uses path-style addressing, since an emulator on an IP address
 * has no per-bucket host names.
 */
export function awsClients(): AwsClients {
  const overridden = Boolean(process.env['AWS_ENDPOINT_URL'] ?? process.env['AWS_ENDPOINT_URL_S3']);
  return {
    s3: new S3Client(overridden ? { forcePathStyle: true } : {}),
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    kms: new KMSClient({}),
  };
}
