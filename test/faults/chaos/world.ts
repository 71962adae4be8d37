// The resources and clients of one chaos run: a bucket, a queue, a table and a KMS key on the
// emulator, phiseal adapters whose AWS calls all go through the fault proxy, and plain clients
// (straight to the emulator) to check afterwards what is really stored.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createEnvelope, KmsKeyProvider, type Envelope } from '@phiseal/core';
import { encryptedTable, type EncryptedTable } from '@phiseal/dynamodb';
import { encryptedS3, type EncryptedS3 } from '@phiseal/s3';
import { encryptedQueue, type EncryptedQueue } from '@phiseal/sqs';
import { uniqueName } from '../../support/resources.js';
import { fastRetry } from '../../support/faults/fast-retry.js';

/** Everything a chaos operation needs. */
export type World = {
  bucket: string;
  table: string;
  envelope: Envelope;
  s3: EncryptedS3;
  queue: EncryptedQueue;
  items: EncryptedTable;
  /** Straight to the emulator, no faults. */
  direct: { s3: EncryptedS3; queue: EncryptedQueue; items: EncryptedTable };
};

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function clients(endpoint: string, maxAttempts: number) {
  const config = { endpoint, region: 'us-east-1', credentials, maxAttempts, retryStrategy: fastRetry(maxAttempts) };
  return { kms: new KMSClient(config), s3: new S3Client({ ...config, forcePathStyle: true }), sqs: new SQSClient(config), dynamodb: new DynamoDBClient(config) };
}

/** Creates the resources on the emulator at `emulator` and the adapters through `proxy`. */
export async function createWorld(emulator: string, proxy: string, onDropped: () => void = () => undefined): Promise<World> {
  const plain = clients(emulator, 3);
  const name = uniqueName('chaos');
  const [key, queue] = await Promise.all([
    plain.kms.send(new CreateKeyCommand({ Description: 'phiseal chaos run' })),
    plain.sqs.send(new CreateQueueCommand({ QueueName: name })),
    plain.s3.send(new CreateBucketCommand({ Bucket: name })),
    plain.dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    ),
  ]);
  const keyId = key.KeyMetadata?.Arn ?? '';
  const queueUrl = queue.QueueUrl ?? '';
  const faulty = clients(proxy, 3);
  // A small cache: KMS is met often, as in a busy service, without a call per operation.
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: faulty.kms }) });
  const directEnvelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: plain.kms }) });
  // A send whose answer was lost may be on the queue up to once per attempt, all copies sharing
  // one payload: the first consumer's delete removes it, so later copies are dropped (reported).
  const queueConfig = {
    queueUrl,
    payloadBucket: name,
    thresholdBytes: 4096,
    deduplicationKey: new Uint8Array(32).fill(3),
    missingPayload: 'delete' as const,
    onDropped,
  };
  const tableConfig = { tableName: name, partitionKey: 'pk', retry: { baseDelayMs: 5 } };
  return {
    bucket: name,
    table: name,
    envelope,
    s3: encryptedS3({ client: faulty.s3, envelope }),
    queue: encryptedQueue({ ...queueConfig, sqs: faulty.sqs, s3: faulty.s3, envelope }),
    items: encryptedTable({ ...tableConfig, envelope, client: faulty.dynamodb }),
    direct: {
      s3: encryptedS3({ client: plain.s3, envelope: directEnvelope }),
      queue: encryptedQueue({ ...queueConfig, sqs: plain.sqs, s3: plain.s3, envelope: directEnvelope }),
      items: encryptedTable({ ...tableConfig, envelope: directEnvelope, client: plain.dynamodb }),
    },
  };
}
