import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { dynamoClient, kmsClient, s3Client, sqsClient } from './clients.js';

// Consonants only: a random suffix then never forms a number, a word or a name. A hex suffix
// was all digits about once in a hundred names, and such a 10-digit number passes the NPI check
// digit one time in ten, so the PHI guard rightly refused a test's own table or bucket name.
const SUFFIX_LETTERS = 'bcdfghjklmnpqrstvwxz';

/** A random lower-case suffix of `length` consonants (about 4.3 bits each). */
export function randomSuffix(length: number): string {
  return Array.from(randomBytes(length), (byte) => SUFFIX_LETTERS[byte % SUFFIX_LETTERS.length]).join('');
}

/** A name no other test file will use: `prefix-<pid>-<random>` (lower case, DNS-safe). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomSuffix(10)}`.toLowerCase();
}

/** Creates a symmetric KMS key and returns its key ARN. */
export async function createKmsKey(description = 'phiseal test key'): Promise<string> {
  const out = await kmsClient().send(new CreateKeyCommand({ Description: description }));
  const arn = out.KeyMetadata?.Arn;
  if (!arn) throw new Error('CreateKey returned no ARN');
  return arn;
}

export type TableSpec = {
  partitionKey?: string;
  sortKey?: string;
  /** GSIs with a string partition key (for example a beacon attribute). */
  indexes?: { name: string; partitionKey: string; sortKey?: string }[];
};

/** Creates an on-demand table with string keys and returns its name. */
export async function createTable(spec: TableSpec = {}, prefix = 'tbl'): Promise<string> {
  const name = uniqueName(prefix);
  const pk = spec.partitionKey ?? 'pk';
  const attrs = new Map<string, AttributeDefinition>([[pk, { AttributeName: pk, AttributeType: 'S' }]]);
  const keySchema: KeySchemaElement[] = [{ AttributeName: pk, KeyType: 'HASH' }];
  if (spec.sortKey) {
    attrs.set(spec.sortKey, { AttributeName: spec.sortKey, AttributeType: 'S' });
    keySchema.push({ AttributeName: spec.sortKey, KeyType: 'RANGE' });
  }
  const gsis: GlobalSecondaryIndex[] = (spec.indexes ?? []).map((index) => {
    attrs.set(index.partitionKey, { AttributeName: index.partitionKey, AttributeType: 'S' });
    const schema: KeySchemaElement[] = [{ AttributeName: index.partitionKey, KeyType: 'HASH' }];
    if (index.sortKey) {
      attrs.set(index.sortKey, { AttributeName: index.sortKey, AttributeType: 'S' });
      schema.push({ AttributeName: index.sortKey, KeyType: 'RANGE' });
    }
    return { IndexName: index.name, KeySchema: schema, Projection: { ProjectionType: 'ALL' } };
  });
  await dynamoClient().send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs.values()],
      KeySchema: keySchema,
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    }),
  );
  return name;
}

/** Creates a queue (FIFO when asked) and returns its URL. */
export async function createQueue(options: { fifo?: boolean; contentBasedDeduplication?: boolean } = {}): Promise<string> {
  const base = uniqueName('q');
  const name = options.fifo ? `${base}.fifo` : base;
  const attributes: Record<string, string> = {};
  if (options.fifo) attributes['FifoQueue'] = 'true';
  if (options.contentBasedDeduplication) attributes['ContentBasedDeduplication'] = 'true';
  const out = await sqsClient().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!out.QueueUrl) throw new Error('CreateQueue returned no URL');
  return out.QueueUrl;
}

/** Creates a bucket and returns its name. */
export async function createBucket(): Promise<string> {
  const name = uniqueName('bkt');
  await s3Client().send(new CreateBucketCommand({ Bucket: name }));
  return name;
}
