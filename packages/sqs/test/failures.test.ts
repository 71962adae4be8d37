// Failure injection: nothing orphaned, nothing silently lost. Faults the emulator cannot
// produce on demand (S3 PutObject failing, SendMessage failing after the S3 put) are
// injected by a middleware on the real clients that throws for one command; every other
// request still goes to the emulator.
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { encryptedQueue } from '@phiseal/sqs';
import { createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, receiveAll, rejection, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

type Stackable = { middlewareStack: { add: (mw: never, options: { step: 'initialize'; name: string }) => void } };

/** Makes `client` throw a named AWS-like error for every `commandName` (or only when `when` says so). */
function failCommand(client: S3Client | SQSClient, commandName: string, when: (input: Record<string, unknown>) => boolean = () => true): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    (args: { input: Record<string, unknown> }): Promise<unknown> => {
      if (context.commandName === commandName && when(args.input)) {
        return Promise.reject(Object.assign(new Error('injected'), { name: 'InternalError', $fault: 'server' }));
      }
      return next(args);
    };
  (client as unknown as Stackable).middlewareStack.add(middleware as never, { step: 'initialize', name: `inject${commandName}` });
}

async function queueWith(options: { sqs?: SQSClient; s3?: S3Client; prefix: string; fifo?: boolean; missingPayload?: 'throw' | 'delete'; onDropped?: (r: { messageId: string }) => void }) {
  return encryptedQueue({
    sqs: options.sqs ?? sqsClient(),
    s3: options.s3 ?? s3Client(),
    queueUrl: await createQueue({ fifo: options.fifo === true }),
    payloadBucket: f.bucket,
    payloadKeyPrefix: options.prefix,
    envelope: f.envelope,
    deduplicationKey: DEDUP_KEY,
    ...(options.missingPayload ? { missingPayload: options.missingPayload } : {}),
    ...(options.onDropped ? { onDropped: options.onDropped } : {}),
  });
}

it('an unset queueUrl or payloadBucket (process.env) is INVALID_CONFIGURATION at creation', () => {
  const unset = process.env['PHISEAL_TEST_UNSET_QUEUE_URL'];
  expect(unset).toBeUndefined();
  const make = (queueUrl: string | undefined, payloadBucket: string | undefined) => () =>
    encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl, payloadBucket, envelope: f.envelope });
  expect(make(unset, f.bucket)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
  expect(make('https://sqs.us-east-1.amazonaws.com/111122223333/lab', unset)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
});

describe('send', () => {
  it('S3 put fails: AWS_REQUEST_FAILED, no message, no object', async () => {
    const s3 = s3Client();
    failCommand(s3, 'PutObjectCommand');
    const queue = await queueWith({ s3, prefix: 'put-fails/' });
    const error = await rejection(queue.send(text(300_000)));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(await f.objects('put-fails/')).toEqual([]);
    expect(await queue.receive({ waitSeconds: 0 })).toEqual([]);
  });

  it('SendMessage fails after the S3 put: the payload is deleted before the error is thrown', async () => {
    const sqs = sqsClient();
    failCommand(sqs, 'SendMessageCommand');
    const queue = await queueWith({ sqs, prefix: 'send-fails/' });
    const error = await rejection(queue.send(text(300_000)));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.details?.['orphanedPayload']).toBeUndefined();
    expect(await f.objects('send-fails/')).toEqual([]);
  });

  it('SendMessage and the clean-up both fail: the error says the payload is orphaned', async () => {
    const sqs = sqsClient();
    const s3 = s3Client();
    failCommand(sqs, 'SendMessageCommand');
    failCommand(s3, 'DeleteObjectCommand');
    const queue = await queueWith({ sqs, s3, prefix: 'both-fail/' });
    const error = await rejection(queue.send(text(300_000)));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.details?.['orphanedPayload']).toBe(true);
    const orphans = await f.objects('both-fail/');
    expect(orphans).toEqual([error.details?.['payloadKey']]);
  });

  it('SendMessageBatch fails: every offloaded entry is cleaned up and reported', async () => {
    const sqs = sqsClient();
    failCommand(sqs, 'SendMessageBatchCommand');
    const queue = await queueWith({ sqs, prefix: 'batch-fails/' });
    const result = await queue.sendBatch([{ body: 'small' }, { body: text(300_000) }, { body: text(270_000) }]);
    expect(result.successful).toEqual([]);
    // Entries are reported as their clean-up finishes, so compare in id order.
    expect(result.failed.map((e) => [e.id, e.code]).sort()).toEqual([
      ['0', 'AWS_REQUEST_FAILED'],
      ['1', 'AWS_REQUEST_FAILED'],
      ['2', 'AWS_REQUEST_FAILED'],
    ]);
    expect(await f.objects('batch-fails/')).toEqual([]);
  });

  it('one entry whose S3 put fails fails alone', async () => {
    const s3 = s3Client();
    failCommand(s3, 'PutObjectCommand');
    const queue = await queueWith({ s3, prefix: 'entry-fails/' });
    const result = await queue.sendBatch([{ id: 'a', body: 'small' }, { id: 'b', body: text(300_000) }]);
    expect(result.successful.map((e) => e.id)).toEqual(['a']);
    expect(result.failed.map((e) => [e.id, e.code])).toEqual([['b', 'AWS_REQUEST_FAILED']]);
    expect(await f.objects('entry-fails/')).toEqual([]);
  });
});

describe('receive with a missing payload', () => {
  async function sendAndLosePayload(queue: Awaited<ReturnType<typeof queueWith>>, prefix: string): Promise<void> {
    await queue.send(text(300_000));
    const [key] = await f.objects(prefix);
    await s3Client().send(new DeleteObjectCommand({ Bucket: f.bucket, Key: key! }));
  }

  it('throws PAYLOAD_MISSING with the message id; the message stays on the queue', async () => {
    const queue = await queueWith({ prefix: 'missing-throw/' });
    await sendAndLosePayload(queue, 'missing-throw/');
    const error = await rejection(queue.receive({ visibilityTimeout: 0 }));
    expect(error.code).toBe('PAYLOAD_MISSING');
    expect(typeof error.details?.['messageId']).toBe('string');
    expect((await rejection(queue.receive({ visibilityTimeout: 0 }))).code).toBe('PAYLOAD_MISSING');
  });

  it("with missingPayload: 'delete', deletes the message and reports it", async () => {
    const dropped: string[] = [];
    const queue = await queueWith({ prefix: 'missing-delete/', missingPayload: 'delete', onDropped: (r) => dropped.push(r.messageId) });
    await sendAndLosePayload(queue, 'missing-delete/');
    await queue.send('still here');
    const got = await receiveAll(queue, 1);
    expect(got.map((m) => m.body)).toEqual(['still here']);
    expect(dropped).toHaveLength(1);
    await queue.delete(got[0]!.receiptHandle);
    expect(await queue.receive({ waitSeconds: 0 })).toEqual([]);
  });
});

describe('receive with a bad message in the batch', () => {
  it('with onError, returns the good messages and reports the bad one, which stays on the queue', async () => {
    const queue = await queueWith({ prefix: 'poison/' });
    await queue.send('good one');
    // A forged body that looks like a phiseal message but is not one (an attacker's or a bug's).
    const raw = sqsClient();
    await raw.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'ps1.AQEBAgAAEmxvY2Fs' }));
    const failures: { messageId: string; code: string }[] = [];
    const got: string[] = [];
    for (let i = 0; i < 10 && (got.length < 1 || failures.length < 1); i++) {
      const batch = await queue.receive({ maxMessages: 10, visibilityTimeout: 30, onError: (f) => failures.push(f) });
      got.push(...batch.map((m) => m.body));
    }
    expect(got).toEqual(['good one']);
    expect(failures.map((f) => f.code)).toEqual(['MALFORMED_CIPHERTEXT']);
    expect(typeof failures[0]?.messageId).toBe('string');
    // Without onError the same message fails the call (the default), once it is visible again.
    const strict = await queueWith({ prefix: 'poison-strict/' });
    await raw.send(new SendMessageCommand({ QueueUrl: strict.queueUrl, MessageBody: 'ps1.AQEBAgAAEmxvY2Fs' }));
    expect((await rejection(strict.receive({ waitSeconds: 1 }))).code).toBe('MALFORMED_CIPHERTEXT');
  });
});

describe('delete', () => {
  it('the payload stays when the message delete fails', async () => {
    const sqs = sqsClient();
    failCommand(sqs, 'DeleteMessageCommand');
    const queue = await queueWith({ sqs, prefix: 'delete-fails/' });
    await queue.send(text(300_000));
    const [got] = await receiveAll(queue, 1);
    expect((await rejection(queue.delete(got!.receiptHandle))).code).toBe('AWS_REQUEST_FAILED');
    expect(await f.objects('delete-fails/')).toHaveLength(1);
  });

  it('deleteBatch removes messages and their payloads and reports a bad handle', async () => {
    const queue = await queueWith({ prefix: 'delete-batch/' });
    await queue.sendBatch([{ body: text(300_000, 1) }, { body: text(300_000, 2) }, { body: 'inline' }]);
    const got = await receiveAll(queue, 3);
    expect(got).toHaveLength(3);
    expect(await f.objects('delete-batch/')).toHaveLength(2);
    const result = await queue.deleteBatch([...got.map((m) => m.receiptHandle), 'not-a-handle']);
    expect(result.successful).toHaveLength(3);
    expect(result.failed.map((e) => e.code)).toEqual(['AWS_REQUEST_FAILED']);
    expect(await f.objects('delete-batch/')).toEqual([]);
  });
});
