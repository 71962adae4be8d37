// Proves the harness: the real AWS SDK v3 clients talk to the emulator started by the
// vitest global set-up, for every service phiseal uses.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  createBucket,
  createKmsKey,
  createQueue,
  createTable,
  dynamoClient,
  kmsClient,
  s3Client,
  sqsClient,
} from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

describe('emulator smoke', () => {
  it('KMS: GenerateDataKey with a context, Decrypt with the same context, fails with another', async () => {
    const kms = kmsClient();
    const keyId = await createKmsKey();
    const context = { tenant: 'clinic-a', purpose: 'smoke' };
    const generated = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(generated.Plaintext?.length).toBe(32);
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: context, KeyId: keyId }),
    );
    expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(generated.Plaintext ?? [1]))).toBe(true);
    await expect(
      kms.send(
        new DecryptCommand({
          CiphertextBlob: generated.CiphertextBlob,
          EncryptionContext: { tenant: 'clinic-b', purpose: 'smoke' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('DynamoDB: CreateTable, PutItem, GetItem', async () => {
    const ddb = dynamoClient();
    const table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
    await ddb.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { S: '1' }, n: { N: '42' } } }),
    );
    const got = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { S: '1' } } }));
    expect(got.Item?.['n']).toEqual({ N: '42' });
  });

  it('SQS: CreateQueue, SendMessage, ReceiveMessage', async () => {
    const sqs = sqsClient();
    const queueUrl = await createQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['hello']);
  });

  it('S3: CreateBucket, PutObject, GetObject', async () => {
    const s3 = s3Client();
    const bucket = await createBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'body' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('body');
  });
});
