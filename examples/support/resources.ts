// Creating and removing the AWS resources an example needs, so each run is self-contained
// on the emulator and on real AWS (where tables take a few seconds to become active).
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { detectPhi } from '@phiseal/guard';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A resource name no earlier run used: `phiseal-example-<purpose>-<random>`. A random
 * suffix with digits can look like an identifier (`50af13c2` like an MRN), and phiseal's
 * guard refuses names that do: letters only, and drawn again should the guard still object.
 */
export function exampleName(purpose: string): string {
  for (;;) {
    const suffix = Array.from(randomBytes(8), (b) => LETTERS[b % LETTERS.length]).join('');
    const name = `phiseal-example-${purpose}-${suffix}`;
    if (detectPhi(name, { where: 's3.bucket' }).length === 0 && detectPhi(name, { where: 'dynamodb.table' }).length === 0) return name;
  }
}

export async function createTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await client.send(new CreateTableCommand(input));
  await waitUntilTableExists({ client, maxWaitTime: 300, minDelay: 1 }, { TableName: input.TableName });
}

export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
}

export async function createBucket(client: S3Client, name: string): Promise<void> {
  const region = await client.config.region();
  // us-east-1 is the one region that refuses a location constraint.
  await client.send(
    new CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }),
  );
}

/** Deletes every object (and version) of a bucket, then the bucket. */
export async function deleteBucket(client: S3Client, name: string): Promise<void> {
  for (;;) {
    const listed = await client.send(new ListObjectVersionsCommand({ Bucket: name }));
    const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length === 0) break;
    await client.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: objects } }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: name }));
}

export async function createQueue(client: SQSClient, name: string): Promise<string> {
  const out = await client.send(new CreateQueueCommand({ QueueName: name }));
  return out.QueueUrl!;
}

export async function deleteQueue(client: SQSClient, url: string): Promise<void> {
  await client.send(new DeleteQueueCommand({ QueueUrl: url }));
}
