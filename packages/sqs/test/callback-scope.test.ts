// Second outside review (docs/threat-model.md): withEncryption lets the explicit API's own requests through its
// middleware by an async-local flag, which every callback phiseal calls while serving a request
// inherited. A send the caller's onDropped callback made on the same client to an encrypted
// queue went out in plaintext. Callbacks now run outside that scope.
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { withEncryption } from '@phiseal/sqs';
import { createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { fixture, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

it('a send made by the onDropped callback on the same client is encrypted like any other', async () => {
  const [url, alerts] = await Promise.all([createQueue(), createQueue()]);
  const sent: Promise<unknown>[] = [];
  const config = { envelope: f.envelope, s3: s3Client(), payloadBucket: f.bucket };
  const sqs = withEncryption(sqsClient(), {
    queues: {
      [url]: {
        ...config,
        missingPayload: 'delete',
        onDropped: (report) => {
          sent.push(sqs.send(new SendMessageCommand({ QueueUrl: alerts, MessageBody: `dropped ${report.messageId}: MRN 448812` })));
        },
      },
      [alerts]: config,
    },
  });
  // A pointer to a payload that is not there: receive drops the message and calls onDropped.
  const pointer = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: f.bucket, s3Key: 'gone/1' }]);
  await sqsClient().send(
    new SendMessageCommand({ QueueUrl: url, MessageBody: pointer, MessageAttributes: { ExtendedPayloadSize: { DataType: 'Number', StringValue: '10' } } }),
  );
  for (let i = 0; i < 10 && sent.length === 0; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
  expect(sent).toHaveLength(1);
  await Promise.all(sent);
  const raw = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: alerts, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
  expect(raw.Messages).toHaveLength(1);
  expect(raw.Messages?.[0]?.Body).not.toContain('448812');
  const decrypted = await sqs.send(new ReceiveMessageCommand({ QueueUrl: alerts, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
  expect(decrypted.Messages?.[0]?.Body).toContain('MRN 448812');
});
