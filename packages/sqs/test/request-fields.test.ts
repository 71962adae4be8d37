// The request-field review of #16 for SQS: every SendMessage / SendMessageBatch / ReceiveMessage
// field either reaches SQS as the caller wrote it or is refused with a remedy before anything
// is sent, through the caller's own SQSClient with withEncryption, against the emulator.
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { withEncryption } from '@phiseal/sqs';
import { createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

function encrypted(url: string): SQSClient {
  return withEncryption(sqsClient(), { queues: { [url]: { envelope: f.envelope, s3: s3Client(), payloadBucket: f.bucket, deduplicationKey: DEDUP_KEY } } });
}

async function depth(url: string): Promise<Record<string, string>> {
  const out = await sqsClient().send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
  );
  return out.Attributes ?? {};
}

it('DelaySeconds reaches SQS: the message is delayed, then delivered decrypted', async () => {
  const url = await createQueue();
  const sqs = encrypted(url);
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'MRN 448812', DelaySeconds: 2 }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'MRN 551027', DelaySeconds: 2 }] }));
  expect(await depth(url)).toMatchObject({ ApproximateNumberOfMessagesDelayed: '2' });
  const bodies: string[] = [];
  for (let i = 0; i < 10 && bodies.length < 2; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    bodies.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
  }
  expect(bodies.sort()).toEqual(['MRN 448812', 'MRN 551027']);
});

it('FIFO MessageGroupId and MessageDeduplicationId reach SQS: a repeated id is deduplicated, the group comes back', async () => {
  const url = await createQueue({ fifo: true });
  const sqs = encrypted(url);
  for (let i = 0; i < 2; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'MRN 448812', MessageGroupId: 'ward-3', MessageDeduplicationId: 'order-17' }));
  }
  expect(await depth(url)).toMatchObject({ ApproximateNumberOfMessages: '1' });
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['MessageGroupId'] }));
  expect(out.Messages?.map((m) => [m.Body, m.Attributes?.['MessageGroupId']])).toEqual([['MRN 448812', 'ward-3']]);
  // Group ids are stored in the clear: guarded like attributes.
  const phi = await rejection(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'jane.doe@example.com', MessageDeduplicationId: 'd' })));
  expect(phi.code).toBe('PHI_DETECTED');
});

it('AWSTraceHeader reaches SQS as a message system attribute (guarded); other system attributes and ReceiveRequestAttemptId are refused, nothing sent', async () => {
  const url = await createQueue();
  const sqs = encrypted(url);
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'MRN 448812', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: header } } }));
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['AWSTraceHeader'] }));
  expect(out.Messages?.map((m) => [m.Body, m.Attributes?.['AWSTraceHeader']])).toEqual([['MRN 448812', header]]);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: out.Messages?.[0]?.ReceiptHandle ?? '' }));
  // Stored in the clear next to the message: checked like attributes, and only the trace shape.
  const phi = await rejection(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1;ssn=123-45-6789' } } })),
  );
  expect(phi.code).toBe('PHI_DETECTED');
  const shape = await rejection(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1 Sampled 1' } } })),
  );
  expect(shape.code).toBe('INVALID_ARGUMENT');
  const other = await rejection(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) } } })),
  );
  expect([other.code, other.details?.['field']]).toEqual(['UNSUPPORTED_OPERATION', 'MessageSystemAttributes']);
  const attempt = await rejection(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'a1' })));
  expect([attempt.code, attempt.details?.['field']]).toEqual(['UNSUPPORTED_OPERATION', 'ReceiveRequestAttemptId']);
  expect(await depth(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0' });
});

// Second outside review (docs/threat-model.md): a SendMessageBatch request whose Entries is not a list of objects
// crashed the middleware with a TypeError (an untyped error) instead of a typed refusal.
it.each([
  ['Entries a string', 'x'],
  ['Entries an object', {}],
  ['an entry that is null', [null]],
  ['an entry that is a string', ['MRN 448812']],
])('SendMessageBatch with %s is refused with INVALID_ARGUMENT, nothing sent', async (_name, entries) => {
  const url = await createQueue();
  const error = await rejection(encrypted(url).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries as never })));
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(await depth(url)).toMatchObject({ ApproximateNumberOfMessages: '0' });
});
