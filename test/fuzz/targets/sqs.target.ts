// @phiseal/sqs: inline and offloaded messages with sealed attributes, as a consumer receives
// them (SDK Message shape), read by decryptRecord — the path of encryptedQueue.receive,
// Lambda and sqs-consumer. The producer seals every attribute ('all'), so every stored byte
// and name is authenticated: a mutated message must be refused or read back exactly. The
// offloaded payload stays untouched in the emulator's S3 (the s3-object target mutates S3
// objects); the pointer, size attribute and sealed-attribute block are mutated.
import { ReceiveMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import { decryptRecord, encryptedQueue } from '@phiseal/sqs';
import { createBucket, createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

type Expected = { body: string; attributes: Record<string, unknown>; offloaded: boolean };

const encoder = new TextEncoder();

function attributesOf(doc: Doc): Record<string, MessageAttributeValue> | undefined {
  if (typeof doc !== 'object' || doc === null || doc instanceof Uint8Array || Array.isArray(doc)) return undefined;
  return doc as unknown as Record<string, MessageAttributeValue>;
}

export const targets: readonly FuzzTarget[] = [
  (() => {
    let envelope: Envelope | undefined;
    let bucket = '';
    return {
      name: 'sqs-message',
      description: "SQS inline and offloaded messages with sealed attributes ('all'), read by decryptRecord",
      needsEmulator: true,
      ciCount: 200,
      async samples() {
        envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'fuzz', key: new Uint8Array(32).fill(0x77) }) });
        bucket = await createBucket();
        const out: Sample[] = [];
        const sends: Array<{ label: string; alwaysThroughS3: boolean; body: string; attributes?: Record<string, string | Uint8Array>; bodyFormat?: 'compact' }> = [
          // Inline bodies in the ESDK format (default; the sealed block is an attribute) and the compact one.
          { label: 'inline', alwaysThroughS3: false, body: 'glucose 5.4', attributes: { patient: 'Jane Q Doe', blob: new Uint8Array([0, 255]) } },
          { label: 'inline-bare', alwaysThroughS3: false, body: '' },
          { label: 'inline-compact', alwaysThroughS3: false, body: 'glucose 5.4', attributes: { patient: 'Jane Q Doe' }, bodyFormat: 'compact' },
          { label: 'offloaded', alwaysThroughS3: true, body: 'large body', attributes: { patient: 'Jane Q Doe' } },
          { label: 'offloaded-bare', alwaysThroughS3: true, body: 'large body 2' },
        ];
        for (const send of sends) {
          const queueUrl = await createQueue();
          const queue = encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl, payloadBucket: bucket, envelope, encryptedAttributes: 'all', alwaysThroughS3: send.alwaysThroughS3, ...(send.bodyFormat === undefined ? {} : { bodyFormat: send.bodyFormat }) });
          await queue.send(send.body, send.attributes === undefined ? {} : { attributes: send.attributes });
          const raw = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
          const message = raw.Messages?.[0];
          if (!message?.Body) throw new Error('no message');
          const attributes: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(send.attributes ?? {})) {
            attributes[name] = typeof value === 'string' ? { DataType: 'String', StringValue: value } : { DataType: 'Binary', BinaryValue: value };
          }
          const input = { Body: message.Body, MessageAttributes: (message.MessageAttributes ?? {}) as unknown as Doc } as unknown as Doc;
          out.push({ label: send.label, input, expected: { body: send.body, attributes, offloaded: send.alwaysThroughS3 } satisfies Expected });
        }
        return out;
      },
      async open(input) {
        const doc = input as Record<string, Doc>;
        const body = doc['Body'];
        const record = {
          MessageId: 'fuzz',
          Body: typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('latin1') : JSON.stringify(body ?? null),
          MessageAttributes: attributesOf(doc['MessageAttributes'] ?? null) ?? {},
        };
        const out = await decryptRecord(record, { envelope: envelope!, s3: s3Client(), payloadBuckets: [bucket], encryptedAttributes: 'all' });
        return { body: out.body, attributes: { ...out.attributes }, offloaded: out.offloaded } satisfies Expected;
      },
      same(actual, expected) {
        const a = actual as Expected;
        const e = expected as Expected;
        if (a.body !== e.body || a.offloaded !== e.offloaded) return false;
        const names = Object.keys(a.attributes).sort();
        if (names.join() !== Object.keys(e.attributes).sort().join()) return false;
        return names.every((n) => {
          const x = a.attributes[n] as { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };
          const y = e.attributes[n] as { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };
          return x.DataType === y.DataType && x.StringValue === y.StringValue && Buffer.from(x.BinaryValue ?? encoder.encode('')).equals(Buffer.from(y.BinaryValue ?? encoder.encode('')));
        });
      },
      close: () => envelope?.destroy(),
    } satisfies FuzzTarget;
  })(),
];
