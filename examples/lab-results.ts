// A lab-results pipeline on SQS: the lab system sends each result encrypted with
// @phiseal/sqs; a full report too large for a message is offloaded to S3 (encrypted, in the
// SQS Extended Client's pointer format); a Lambda-style consumer decrypts the records of an
// SQS event with `decryptRecord` and removes the offloaded payload once it is processed.
//
//   pnpm exec tsx examples/lab-results.ts        (embedded default, or real AWS: see README)
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { createEnvelope, type Envelope } from '@phiseal/core';
import { decryptRecord, deletePayload, encryptedQueue } from '@phiseal/sqs';
import type { Environment } from './support/embedded.js';
import { assertNoPlaintext, inspectStored, type ExampleReport, type StoredRecord } from './support/report.js';
import { createBucket, createQueue, deleteBucket, deleteQueue, exampleName } from './support/resources.js';
import { isMain, runStandalone } from './support/standalone.js';

type LabResult = { mrn: string; patient: string; test: string; value: string; unit: string };

const results: LabResult[] = [
  { mrn: 'MRN-448812', patient: 'Jane Doe', test: 'HbA1c', value: '6.1', unit: '%' },
  { mrn: 'MRN-551027', patient: 'John Roe', test: 'LDL cholesterol', value: '131', unit: 'mg/dL' },
];

/** A full pathology report: far over SQS's 256 KiB, so it travels through S3. */
function fullReport(): string {
  const lines = ['PATHOLOGY REPORT', 'Patient: Mary Major  MRN: MRN-602211  DOB: 1990-07-23'];
  for (let i = 1; lines.join('\n').length < 600_000; i++) lines.push(`Section ${i}: specimen ${i} shows no atypia; margins clear; immunostains within normal limits.`);
  return lines.join('\n');
}

// The Lambda event shape (aws-lambda's SQSRecord), as the SQS event source delivers it.
type SqsEventRecord = {
  messageId: string;
  receiptHandle: string;
  body: string;
  messageAttributes: Record<string, { dataType: string; stringValue?: string }>;
  eventSource: 'aws:sqs';
};

/** The consumer, written as a Lambda handler: what a team deploys behind the queue. */
function labResultsHandler(config: { envelope: Envelope; s3: S3Client; payloadBucket: string }, onResult: (r: LabResult | string) => void) {
  const options = { envelope: config.envelope, s3: config.s3, payloadBuckets: [config.payloadBucket], context: { service: 'lab-results' } };
  return async (event: { Records: SqsEventRecord[] }): Promise<void> => {
    for (const record of event.Records) {
      const { body, attributes, payload } = await decryptRecord(record, options);
      onResult(attributes['kind']?.StringValue === 'report' ? body : (JSON.parse(body) as LabResult));
      // The event source deletes the message; the offloaded payload is ours to remove.
      if (payload) await deletePayload(payload, options);
    }
  };
}

/** Turns messages received with the SDK into the event Lambda would deliver (this example has no Lambda). */
const asLambdaEvent = (messages: Message[]): { Records: SqsEventRecord[] } => ({
  Records: messages.map((m) => ({
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { dataType: v.DataType!, ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}) }]),
    ),
    eventSource: 'aws:sqs',
  })),
});

export async function run(env: Environment): Promise<ExampleReport> {
  const sqs = new SQSClient(env.aws);
  const s3 = new S3Client(env.aws);
  const queueUrl = await createQueue(sqs, exampleName('lab-results'));
  const payloadBucket = exampleName('lab-payloads');
  await createBucket(s3, payloadBucket);
  env.log(`created queue ${queueUrl.slice(queueUrl.lastIndexOf('/') + 1)} and payload bucket ${payloadBucket}`);
  const envelope = createEnvelope({ keys: env.keys });
  try {
    // Producer: the lab system.
    const queue = encryptedQueue({ sqs, s3, queueUrl, payloadBucket, envelope, payloadKeyPrefix: 'lab-reports/' });
    const context = { service: 'lab-results' };
    for (const r of results) await queue.send(JSON.stringify(r), { attributes: { kind: 'result' }, context });
    const report = fullReport();
    const sent = await queue.send(report, { attributes: { kind: 'report' }, context });
    env.log(`sent ${results.length} results inline and a ${(report.length / 1024).toFixed(0)} KiB report (offloaded to S3: ${sent.offloaded})`);

    // What SQS and S3 hold, read with plain clients (visibility 0: the consumer still gets them).
    const phiValues = [...results.flatMap((r) => [r.mrn, r.patient]), 'Mary Major', 'MRN-602211', 'PATHOLOGY REPORT'];
    const stored: StoredRecord[] = [];
    const peek = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ['All'] }));
    for (const m of peek.Messages ?? []) {
      // An offloaded message's body is the Extended Client's pointer: [class, {s3BucketName, s3Key}].
      const pointer = /"s3Key"\s*:\s*"([^"]+)"/.exec(m.Body!)?.[1];
      const what = pointer ? 'body: pointer to the S3 payload' : 'body';
      stored.push(inspectStored({ service: 'SQS', location: `message ${m.MessageId!.slice(0, 8)}…`, what }, m.Body!, phiValues));
      if (pointer) {
        const object = await s3.send(new GetObjectCommand({ Bucket: payloadBucket, Key: pointer }));
        stored.push(inspectStored({ service: 'S3', location: `${payloadBucket}/${pointer}`, what: 'offloaded payload' }, await object.Body!.transformToByteArray(), phiValues));
      }
    }

    // Consumer: receive the way the Lambda event source does, then hand the batch to the handler.
    const received: (LabResult | string)[] = [];
    const handler = labResultsHandler({ envelope, s3, payloadBucket }, (r) => received.push(r));
    while (received.length < results.length + 1) {
      const batch = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      if (!batch.Messages?.length) continue;
      await handler(asLambdaEvent(batch.Messages));
      for (const m of batch.Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
    const reports = received.filter((r): r is string => typeof r === 'string');
    if (reports.length !== 1 || reports[0] !== report) throw new Error('the offloaded report did not round-trip');
    const hba1c = received.find((r): r is LabResult => typeof r !== 'string' && r.test === 'HbA1c');
    if (hba1c?.value !== '6.1') throw new Error('the HbA1c result did not round-trip');
    env.log(`the Lambda-style consumer decrypted ${received.length} records (HbA1c ${hba1c.value}${hba1c.unit} for ${hba1c.mrn}) and removed the payload`);
    return assertNoPlaintext({ example: 'lab-results', stored, phiValuesChecked: phiValues.length });
  } finally {
    envelope.destroy();
    await deleteQueue(sqs, queueUrl);
    await deleteBucket(s3, payloadBucket);
  }
}

if (isMain(import.meta.url)) await runStandalone(run);
