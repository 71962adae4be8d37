// Every AWS call @phiseal/sqs makes (SQS, the S3 payload store, KMS), through the fault proxy:
// fails once transiently, fails persistently, succeeds with its answer lost (test-support's
// faultMatrix). Checks: every message on the queue decrypts to what was sent, a send is on
// the queue iff it succeeded or was reported `outcome: 'unknown'`, no payload is left that
// is not reported or pointed to.
import { createEnvelope, KmsKeyProvider, PhisealError } from '@phiseal/core';
import { encryptedQueue, type EncryptedQueue } from '@phiseal/sqs';
import {
  awsClientConfig,
  createQueue,
  faultMatrix,
  proxiedClients,
  s3Client,
  sqsClient,
  startFaultProxy,
  type FaultProxy,
  type MatrixCall,
  type Outcome,
  type Scenario,
} from '@phiseal/test-support';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEDUP_KEY, fixture, receiveAll, text, type Fixture } from './setup.js';

let f: Fixture;
let proxy: FaultProxy;
let seq = 0;
beforeAll(async () => {
  f = await fixture();
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 29 });
});
afterAll(() => proxy.stop());

/** A queue used through the proxy (no data-key cache: every call meets KMS) and one read directly. */
async function pair(): Promise<{ through: EncryptedQueue; direct: EncryptedQueue; prefix: string }> {
  const prefix = `matrix-${seq++}/`;
  const queueUrl = await createQueue();
  const clients = proxiedClients(proxy, { maxAttempts: 3 });
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: clients.kms }), cache: false });
  const common = { queueUrl, payloadBucket: f.bucket, payloadKeyPrefix: prefix, deduplicationKey: DEDUP_KEY };
  return {
    through: encryptedQueue({ ...common, sqs: clients.sqs, s3: clients.s3, envelope }),
    direct: encryptedQueue({ ...common, sqs: sqsClient(), s3: s3Client(), envelope: f.envelope }),
    prefix,
  };
}

const details = (outcome: Outcome): Record<string, unknown> =>
  !outcome.ok && PhisealError.is(outcome.error) ? { ...outcome.error.details } : {};

/** After a send: the queue holds copies of `body` only if the send succeeded or may have. */
async function checkSent(direct: EncryptedQueue, prefix: string, body: string, outcome: Outcome, scenario: Scenario): Promise<void> {
  const unknown = details(outcome)['outcome'] === 'unknown';
  // Copies to wait for: one per attempt that reached SQS (all three when every answer was lost;
  // none when the proxy answered for SQS, even if a 5xx left the outcome formally unknown).
  const received = await receiveAll(direct, outcome.ok ? 1 : unknown && scenario === 'lost' ? 3 : 0);
  for (const message of received) expect(message.body).toBe(body);
  if (outcome.ok) expect(received.length).toBeGreaterThanOrEqual(1);
  else if (!unknown) expect(received).toEqual([]);
  const payloads = await f.objects(prefix);
  const reported = details(outcome)['payloadKey'];
  // Every payload left is pointed to by a message, or reported.
  if (received.length === 0) expect(payloads).toEqual(reported === undefined ? [] : [reported]);
  for (const message of received) await direct.delete(message.receiptHandle);
}

function send(name: string, service: 'sqs' | 's3' | 'kms', operation: string, size: number, batch = false): MatrixCall {
  return {
    name,
    service,
    operation,
    prepare: async () => {
      const { through, direct, prefix } = await pair();
      const body = text(size, seq);
      const act = batch
        ? async () => {
            const result = await through.sendBatch([{ id: 'only', body }]);
            if (result.failed[0]) throw result.failed[0].error;
            return result;
          }
        : () => through.send(body);
      return { act, check: (outcome: Outcome, scenario: Scenario) => checkSent(direct, prefix, body, outcome, scenario) };
    },
  };
}

function receive(name: string, service: 'sqs' | 's3' | 'kms', operation: string, size: number): MatrixCall {
  return {
    name,
    service,
    operation,
    prepare: async () => {
      const { through, direct } = await pair();
      const body = text(size, seq);
      await direct.send(body);
      return {
        act: () => through.receive({ maxMessages: 1, waitSeconds: 1, visibilityTimeout: 1 }),
        check: async (outcome: Outcome) => {
          if (outcome.ok) for (const message of outcome.value as Array<{ body: string }>) expect(message.body).toBe(body);
          // Nothing was lost: the message is still there (after its visibility timeout) unless received.
          const again = await receiveAll(direct, 1);
          if (!outcome.ok) expect(again.map((m) => m.body)).toEqual([body]);
        },
      };
    },
  };
}

function remove(name: string, service: 'sqs' | 's3', operation: string, size: number): MatrixCall {
  return {
    name,
    service,
    operation,
    prepare: async () => {
      const { through, direct, prefix } = await pair();
      await direct.send(text(size, seq));
      const [message] = await receiveAll(direct, 1);
      return {
        act: () => through.delete(message!.receiptHandle),
        check: async (outcome: Outcome) => {
          const left = await f.objects(prefix);
          if (outcome.ok) expect(left).toEqual([]);
          // A payload left behind is named in the error (orphaned, or a delete to retry).
          else if (left.length > 0) expect(left).toEqual([details(outcome)['payloadKey']]);
        },
      };
    },
  };
}

faultMatrix(() => proxy, [
  send('send inline', 'sqs', 'SendMessage', 100),
  send('send offloaded', 'sqs', 'SendMessage', 300_000),
  send('send offloaded: payload put', 's3', 'PutObject', 300_000),
  send('send: data key', 'kms', 'GenerateDataKey', 100),
  send('sendBatch offloaded', 'sqs', 'SendMessageBatch', 300_000, true),
  receive('receive', 'sqs', 'ReceiveMessage', 100),
  receive('receive offloaded: payload get', 's3', 'GetObject', 300_000),
  receive('receive: data key', 'kms', 'Decrypt', 100),
  remove('delete offloaded', 'sqs', 'DeleteMessage', 300_000),
  remove('delete offloaded: payload delete', 's3', 'DeleteObject', 300_000),
]);
