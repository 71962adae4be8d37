// Size edges (threshold, 1 MiB), batch splitting, guards and the transport rule.
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { encryptedQueue, type EncryptedQueue } from '@phiseal/sqs';
import { awsClientConfig, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, receiveAll, rejection, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const MiB = 1024 * 1024;

/** The size SQS charges for the message on the wire: body plus attribute name, type and value. */
async function wireSize(queue: EncryptedQueue): Promise<number> {
  const out = await sqsClient().send(
    new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }),
  );
  const message = out.Messages![0]!;
  let size = Buffer.byteLength(message.Body!);
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    size += name.length + value.DataType!.length + Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue?.length ?? 0);
  }
  return size;
}

/** Body length whose encrypted inline message is exactly `target` bytes with these attributes. */
async function bodyLengthFor(queue: EncryptedQueue, target: number, attributes: Record<string, string>): Promise<number> {
  await queue.send('', { attributes });
  const empty = await wireSize(queue);
  const [m] = await receiveAll(queue, 1);
  await queue.delete(m!.receiptHandle);
  // The envelope adds a fixed overhead; base64url turns 3 bytes into 4, so search near (target - empty) * 3/4.
  let length = Math.floor(((target - empty) * 3) / 4);
  for (;;) {
    const estimate = empty + Math.ceil(((length + 2 /* frame */) * 4) / 3) - Math.ceil((2 * 4) / 3);
    if (estimate >= target) return length;
    length++;
  }
}

describe('threshold edges', () => {
  it.each([1024, 262_144, MiB])('compact, threshold %i: the largest inline message fills the threshold to the byte, the next body size is offloaded', async (threshold) => {
    const queue = await f.queue({ thresholdBytes: threshold, payloadKeyPrefix: `edge-${threshold}/`, bodyFormat: 'compact' });
    const attributes = { kind: 'edge' };
    let length = await bodyLengthFor(queue, threshold, attributes);
    // Walk to the largest body that still fits inline (the estimate can be off by a base64 group).
    let sent = await queue.send(text(length), { attributes });
    while (sent.offloaded) {
      await drain(queue);
      length--;
      sent = await queue.send(text(length), { attributes });
    }
    const largest = await wireSize(queue);
    expect(largest).toBeLessThanOrEqual(threshold);
    // base64url grows by one or two characters per byte, so the largest inline message is within 1 byte of the threshold.
    expect(largest).toBeGreaterThanOrEqual(threshold - 1);
    await drain(queue);
    let next = length + 1;
    let over = await queue.send(text(next), { attributes });
    while (!over.offloaded) {
      expect(await wireSize(queue)).toBeLessThanOrEqual(threshold);
      await drain(queue);
      next++;
      over = await queue.send(text(next), { attributes });
    }
    // base64 moves in 3-byte steps: the last inline body is at most 3 bytes from the first offloaded one.
    expect(next - length).toBeLessThanOrEqual(3);
    const [got] = await receiveAll(queue, 1);
    expect(got?.body).toBe(text(next));
    await queue.delete(got!.receiptHandle);
    expect(await f.objects(`edge-${threshold}/`)).toEqual([]);
  });

  // ESDK bodies are padded base64 (4-character steps) of a framed message: one more body byte
  // can open a new 4096-byte frame (32 bytes of frame header and tag at once), so the largest
  // inline message is within 3 bytes of the threshold, or within one frame's overhead in base64
  // (48) when a frame boundary falls there. Found by bisection over body lengths.
  it.each([1024, 262_144, MiB])('esdk, threshold %i: the largest inline message is within a base64 group (or a frame overhead) of the threshold, the next body size is offloaded', async (threshold) => {
    const prefix = `edge-esdk-${threshold}/`;
    const queue = await f.queue({ thresholdBytes: threshold, payloadKeyPrefix: prefix });
    const attributes = { kind: 'edge' };
    const inline = async (length: number): Promise<boolean> => {
      const sent = await queue.send(text(length), { attributes });
      if (!sent.offloaded) expect(await wireSize(queue)).toBeLessThanOrEqual(threshold);
      await drain(queue);
      return !sent.offloaded;
    };
    let low = 0;
    let high = threshold;
    expect(await inline(low)).toBe(true);
    expect(await inline(high)).toBe(false);
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await inline(middle)) low = middle;
      else high = middle;
    }
    await queue.send(text(low), { attributes });
    const largest = await wireSize(queue);
    await drain(queue);
    expect(largest).toBeLessThanOrEqual(threshold);
    // Within one frame's overhead of a frame boundary (either side: the next byte may open a frame).
    const nearBoundary = Math.min(low % 4096, 4096 - (low % 4096)) < 48;
    expect(largest).toBeGreaterThanOrEqual(threshold - (nearBoundary ? 48 : 3));
    expect(await f.objects(prefix)).toEqual([]);
  }, 120_000);

  it('a 1 MiB threshold sends a body near 768 KiB inline and a 5 MiB body offloaded', async () => {
    const queue = await f.queue({ thresholdBytes: MiB });
    expect((await queue.send(text(760 * 1024))).offloaded).toBe(false);
    expect((await queue.send(text(5 * MiB))).offloaded).toBe(true);
    const got = await receiveAll(queue, 2);
    expect(got.map((m) => m.body.length).sort((a, b) => a - b)).toEqual([760 * 1024, 5 * MiB]);
  });

  it('refuses thresholds above 1 MiB', () => {
    expect(() => encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl: 'http://127.0.0.1:1/000000000000/q', payloadBucket: f.bucket, envelope: f.envelope, thresholdBytes: MiB + 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error,
    );
  });

  it('attributes too large to send even offloaded: LIMIT_EXCEEDED before anything is written', async () => {
    const queue = await f.queue({ thresholdBytes: 1024, payloadKeyPrefix: 'attr-limit/' });
    const error = await rejection(queue.send('x', { attributes: { big: 'a'.repeat(2000) } }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(await f.objects('attr-limit/')).toEqual([]);
  });

  it('ten visible attributes fit inline but leave no slot for the size attribute when offloaded', async () => {
    const queue = await f.queue({ payloadKeyPrefix: 'slots/' });
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v']));
    expect((await queue.send('small', { attributes })).offloaded).toBe(false);
    expect((await rejection(queue.send(text(300_000), { attributes }))).code).toBe('LIMIT_EXCEEDED');
    expect(await f.objects('slots/')).toEqual([]);
  });
});

describe('sendBatch', () => {
  it('splits 25 mixed entries into requests of at most 10 entries and the batch size, offloading per entry', async () => {
    const queue = await f.queue({ payloadKeyPrefix: 'batch-mixed/' });
    const sizes = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? 300_000 : i % 3 === 0 ? 120_000 : 100 + i));
    const entries = sizes.map((size, i) => ({ id: `e${i}`, body: text(size, i + 1), attributes: { n: i } }));
    const result = await queue.sendBatch(entries);
    expect(result.failed).toEqual([]);
    expect(result.successful.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(result.successful.filter((e) => e.offloaded)).toHaveLength(5);
    expect(await f.objects('batch-mixed/')).toHaveLength(5);
    const got = await receiveAll(queue, 25);
    expect(got).toHaveLength(25);
    for (const message of got) {
      const i = Number(message.attributes['n']!.StringValue);
      expect(message.body).toBe(text(sizes[i]!, i + 1));
    }
    const deleted = await queue.deleteBatch(got.map((m) => m.receiptHandle));
    expect(deleted.failed).toEqual([]);
    expect(await f.objects('batch-mixed/')).toEqual([]);
  });

  it('splits by size when the entries together exceed the 1 MiB batch limit', async () => {
    const sqs = sqsClient();
    let requests = 0;
    sqs.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'SendMessageBatchCommand') requests++;
        return next(args);
      },
      { step: 'initialize', name: 'countBatches' },
    );
    const queue = encryptedQueue({ sqs, s3: s3Client(), queueUrl: (await f.queue()).queueUrl, payloadBucket: f.bucket, envelope: f.envelope, thresholdBytes: MiB });
    const result = await queue.sendBatch([1, 2, 3].map((i) => ({ body: text(500 * 1024, i) })));
    expect(result.failed).toEqual([]);
    expect(result.successful.every((e) => !e.offloaded)).toBe(true);
    expect(requests).toBe(3);
  });

  it('reports invalid entries without failing the others', async () => {
    const queue = await f.queue();
    const result = await queue.sendBatch([{ id: 'ok', body: 'fine' }, { id: 'bad', body: 'x', attributes: { 'AWS.reserved': 'x' } }]);
    expect(result.successful.map((e) => e.id)).toEqual(['ok']);
    expect(result.failed.map((e) => [e.id, e.code])).toEqual([['bad', 'INVALID_ARGUMENT']]);
  });

  it('refuses a context that is not an object of strings', async () => {
    const queue = await f.queue();
    expect((await rejection(queue.send('x', { context: 'tenant-a' as never }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(queue.send('x', { context: { tenant: 7 } as never }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(queue.receive({ context: 'tenant-a' as never, waitSeconds: 0 }))).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses duplicate entry ids', async () => {
    const queue = await f.queue();
    expect((await rejection(queue.sendBatch([{ id: 'a', body: '1' }, { id: 'a', body: '2' }]))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('guards and transport', () => {
  it('refuses PHI in visible attributes, group ids and queue names', async () => {
    const queue = await f.queue({ fifo: true });
    expect((await rejection(queue.send('x', { groupId: 'g', attributes: { ssn: '123-45-6789' } }))).code).toBe('PHI_DETECTED');
    expect((await rejection(queue.send('x', { groupId: 'patient-jane.doe@example.com' }))).code).toBe('PHI_DETECTED');
    expect((await rejection(queue.send('x', { groupId: 'g', attributes: { kind: { DataType: 'String.123-45-6789', StringValue: 'x' } } }))).code).toBe(
      'PHI_DETECTED',
    );
    expect((await queue.send('x', { groupId: 'g', attributes: { kind: { DataType: 'String.lab-result', StringValue: 'x' }, n: { DataType: 'Number.int', StringValue: '1' } } })).messageId).toBeTruthy();
    expect(() =>
      encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl: `${awsClientConfig().endpoint}/000000000000/ssn-123-45-6789`, payloadBucket: f.bucket, envelope: f.envelope }),
    ).toThrow(expect.objectContaining({ code: 'PHI_DETECTED' }) as Error);
  });

  it('does not check attributes that are moved inside the body', async () => {
    const queue = await f.queue({ encryptedAttributes: ['ssn'] });
    expect((await queue.send('x', { attributes: { ssn: '123-45-6789' } })).offloaded).toBe(false);
  });

  it('refuses plain http queue URLs and endpoints that are not loopback', async () => {
    expect(() =>
      encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl: 'http://sqs.example.com/000000000000/q', payloadBucket: f.bucket, envelope: f.envelope }),
    ).toThrow(expect.objectContaining({ code: 'INSECURE_ENDPOINT' }) as Error);
    const remote = new SQSClient({ ...awsClientConfig(), endpoint: 'http://10.1.2.3:9324' });
    const queue = encryptedQueue({ sqs: remote, s3: s3Client(), queueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', payloadBucket: f.bucket, envelope: f.envelope });
    expect((await rejection(queue.send('x'))).code).toBe('INSECURE_ENDPOINT');
  });
});

async function drain(queue: EncryptedQueue): Promise<void> {
  for (const message of await receiveAll(queue, 1)) await queue.delete(message.receiptHandle);
}
