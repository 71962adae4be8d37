// decryptRecord takes @types/aws-lambda's SQSRecord and the SDK's Message exactly as they are
// declared (optional fields as `?: T | undefined`), under exactOptionalPropertyTypes: this file
// fails the typecheck (pnpm typecheck) if they stop being assignable, and runs the known-answer
// record through both shapes.
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { expect, it } from 'vitest';
import { decryptRecord } from './decrypt-record.js';

const kat = JSON.parse(readFileSync(new URL('../test/vectors/inline-message.json', import.meta.url), 'utf8')) as {
  keyId: string;
  keyHex: string;
  record: { messageId: string; body: string; messageAttributes: Record<string, { dataType: string; stringValue: string }> };
  expected: { body: string };
};
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: kat.keyId, key: Buffer.from(kat.keyHex, 'hex') }) });
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

it('a Lambda SQSEvent record, typed by @types/aws-lambda, decrypts as is', async () => {
  const attributes: SQSRecord['messageAttributes'] = {};
  for (const [name, a] of Object.entries(kat.record.messageAttributes)) {
    attributes[name] = { dataType: a.dataType, stringValue: a.stringValue, binaryValue: undefined, stringListValues: [], binaryListValues: [] };
  }
  const record: SQSRecord = {
    messageId: kat.record.messageId,
    receiptHandle: 'handle',
    body: kat.record.body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: attributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q',
    awsRegion: 'us-east-1',
  };
  const event: SQSEvent = { Records: [record] };
  const out = await Promise.all(event.Records.map((r) => decryptRecord(r, { envelope, s3 })));
  expect(out.map((o) => o.body)).toEqual([kat.expected.body]);
});

it("an SDK Message (ReceiveMessage's output) decrypts as is", async () => {
  const attributes: NonNullable<Message['MessageAttributes']> = {};
  for (const [name, a] of Object.entries(kat.record.messageAttributes)) attributes[name] = { DataType: a.dataType, StringValue: a.stringValue };
  const message: Message = { MessageId: kat.record.messageId, Body: kat.record.body, MessageAttributes: attributes, ReceiptHandle: undefined };
  expect((await decryptRecord(message, { envelope, s3 })).body).toBe(kat.expected.body);
});
