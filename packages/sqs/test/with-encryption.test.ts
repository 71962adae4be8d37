// withEncryption(sqsClient): the caller's own SQSClient and commands, against the emulator;
// what the middleware sends is what encryptedQueue sends, and the official Python SQS
// Extended Client (with the Python S3EC) reads an offloaded message.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { withEncryption } from '@phiseal/sqs';
import { createQueue, runPythonPeer, s3Client, sqsClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, rejection, text, type Fixture } from './setup.js';

const peer = fileURLToPath(new URL('./sqs_extended_peer.py', import.meta.url));
let f: Fixture;
let dir: string;
beforeAll(async () => {
  f = await fixture();
  dir = mkdtempSync(join(tmpdir(), 'phiseal-sqs-middleware-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup(): Promise<{ url: string; arn: string; sqs: ReturnType<typeof sqsClient> }> {
  const url = await createQueue();
  const attrs = await sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = attrs.Attributes!['QueueArn']!;
  // Configured by ARN; requests name the queue by URL.
  const sqs = withEncryption(sqsClient(), { queues: { [arn]: { envelope: f.envelope, s3: s3Client(), payloadBucket: f.bucket, deduplicationKey: DEDUP_KEY } } });
  return { url, arn, sqs };
}

async function receiveOne(sqs: ReturnType<typeof sqsClient>, url: string) {
  for (let i = 0; i < 10; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    if (out.Messages?.length) return out.Messages;
  }
  return [];
}

describe('withEncryption(sqsClient)', () => {
  it('SendMessageCommand sends ciphertext; ReceiveMessageCommand returns the body; DeleteMessageCommand deletes', async () => {
    const { url, sqs } = await setup();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'MRN 448812 glucose 5.4', MessageAttributes: { kind: { DataType: 'String', StringValue: 'lab' } } }));
    const raw = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
    expect(raw.Messages?.[0]?.Body).not.toContain('448812');
    const [message] = await receiveOne(sqs, url);
    expect(message?.Body).toBe('MRN 448812 glucose 5.4');
    expect(message?.MessageAttributes?.['kind']?.StringValue).toBe('lab');
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const [again] = await receiveOne(sqs, url);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle! }));
    const left = await sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('SendMessageBatchCommand offloads a large entry to S3 and reports per entry', async () => {
    const { url, sqs } = await setup();
    const large = text(300_000, 3);
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: large }, { Id: 'b', MessageBody: 'small' }] }));
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(['a', 'b']);
    expect(out.Failed ?? []).toEqual([]);
    const got: string[] = [];
    for (let i = 0; i < 10 && got.length < 2; i++) got.push(...(await receiveOne(sqs, url)).map((m) => m.Body!));
    expect(got.sort()).toEqual([large, 'small'].sort());
  });

  it('DeleteMessageBatchCommand deletes messages and their payloads; ChangeMessageVisibilityBatchCommand takes the handles Receive returned', async () => {
    const { url, sqs } = await setup();
    const payloads = async (): Promise<number> => (await s3Client().send(new ListObjectsV2Command({ Bucket: f.bucket }))).KeyCount ?? 0;
    const before = await payloads();
    const large = `MRN 448812 ${text(300_000, 4)}`;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'large', MessageBody: large }, { Id: 'small', MessageBody: 'small' }] }));
    expect(await payloads()).toBe(before + 1);
    const receiveBoth = async () => {
      const got: Message[] = [];
      for (let i = 0; i < 10 && got.length < 2; i++) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
        got.push(...(out.Messages ?? []));
      }
      return got;
    };
    const first = await receiveBoth();
    expect(first.map((m) => m.Body).sort()).toEqual([large, 'small'].sort());
    // The offloaded message's handle carries the payload location: SQS alone would refuse it.
    const visible = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: first.map((m, i) => ({ Id: `v${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }),
    );
    expect([visible.Successful?.map((e) => e.Id).sort(), visible.Failed ?? []]).toEqual([['v0', 'v1'], []]);
    const again = await receiveBoth();
    expect(again).toHaveLength(2);
    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: again.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    expect([deleted.Successful?.map((e) => e.Id).sort(), deleted.Failed ?? []]).toEqual([['d0', 'd1'], []]);
    expect(await payloads()).toBe(before);
    const left = await sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    // SQS's own request rules are checked before anything is deleted.
    const entry = (id: string) => ({ Id: id, ReceiptHandle: 'h' });
    const refusals = await Promise.all([
      rejection(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [entry('a'), entry('a')] }))),
      rejection(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => entry(`e${i}`)) }))),
      rejection(sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [] }))),
    ]);
    expect(refusals.map((e) => e.code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });

  it('the official Python SQS Extended Client with the S3EC reads an offloaded message the middleware sent', async () => {
    const { url, sqs } = await setup();
    const body = `MRN 448812 ${text(300_000, 9)}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const out = join(dir, 'receive.json');
    const result = await runPythonPeer(peer, ['receive', url, f.bucket, f.keyArn, out, 'delete']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { body: string }).body).toBe(body);
  }, 60_000);

  it('guards attributes and refuses commands and fields it cannot make safe, before sending', async () => {
    const { url, sqs } = await setup();
    const phi = await rejection(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { patient: { DataType: 'String', StringValue: 'jane.doe@example.com' } } })));
    expect(phi.code).toBe('PHI_DETECTED');
    const field = await rejection(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'a1' })));
    expect(field.code).toBe('UNSUPPORTED_OPERATION');
    const command = await rejection(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5' } })));
    expect(command.code).toBe('UNSUPPORTED_OPERATION');
    const raw = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    expect(raw.Messages ?? []).toEqual([]);
  });

  it('other queues pass through untouched', async () => {
    const { sqs } = await setup();
    const other = await createQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'public notice' }));
    const raw = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: other, WaitTimeSeconds: 1 }));
    expect(raw.Messages?.[0]?.Body).toBe('public notice');
  });
});
