// Every AWS call @phiseal/s3 makes, through the fault proxy: fails once transiently, fails
// persistently, succeeds with its response lost (test-support's faultMatrix). Checks: the
// right bytes or a typed retryable error, a lost write reported as `outcome: 'unknown'` and
// readable, nothing left that is not reported.
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, PhisealError } from '@phiseal/core';
import { encryptedS3, type EncryptedS3 } from '@phiseal/s3';
import {
  awsClientConfig,
  faultMatrix,
  pattern,
  proxiedClients,
  s3Client,
  startFaultProxy,
  type FaultProxy,
  type MatrixCall,
  type Outcome,
} from '@phiseal/test-support';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixture, objectExists, readBack, type Fixture } from './setup.js';

const MiB = 1024 * 1024;
let f: Fixture;
let proxy: FaultProxy;
let through: EncryptedS3;
let throughWithInstructionFile: EncryptedS3;
let seq = 0;
beforeAll(async () => {
  f = await fixture();
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 23 });
  const clients = proxiedClients(proxy, { maxAttempts: 3 });
  // No data-key cache: every write asks KMS, so KMS faults are met on every call.
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: clients.kms }), cache: false });
  through = encryptedS3({ client: clients.s3, envelope, partSize: 5 * MiB });
  throughWithInstructionFile = encryptedS3({ client: clients.s3, envelope, partSize: 5 * MiB, instructionFile: true });
});
afterAll(() => proxy.stop());

const unknownOutcome = (outcome: Outcome): boolean =>
  !outcome.ok && PhisealError.is(outcome.error) && outcome.error.details['outcome'] === 'unknown';

/** After a write: stored and right, or (a known failure) absent with no multipart upload left unreported. */
async function checkWrite(key: string, body: Buffer, outcome: Outcome): Promise<void> {
  if (outcome.ok) expect((await readBack(f, key)).equals(body)).toBe(true);
  else if (await objectExists(f, key)) {
    // Only a write reported as possibly done may exist, and then it must be whole and right.
    expect(unknownOutcome(outcome)).toBe(true);
    expect((await readBack(f, key)).equals(body)).toBe(true);
  } else expect(await objectExists(f, `${key}.instruction`)).toBe(false);
  const uploads = (await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: key }))).Uploads ?? [];
  const reported = !outcome.ok && PhisealError.is(outcome.error) ? outcome.error.details['incompleteUpload'] : undefined;
  if (reported === undefined) expect(uploads).toEqual([]);
  for (const upload of uploads) await s3Client().send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: upload.UploadId }));
}

function put(name: string, service: 's3' | 'kms', operation: string, size: number, instructionFile = false): MatrixCall {
  return {
    name,
    service,
    operation,
    prepare: () => {
      const key = `matrix/${name.replace(/\W+/g, '-')}-${seq++}`;
      const body = pattern(size, seq);
      const s3 = instructionFile ? throughWithInstructionFile : through;
      const act = size > 5 * MiB ? () => s3.upload({ Bucket: f.bucket, Key: key, Body: Readable.from([body]) }) : () => s3.putObject({ Bucket: f.bucket, Key: key, Body: body });
      return Promise.resolve({ act, check: (outcome: Outcome) => checkWrite(key, body, outcome) });
    },
  };
}

function get(name: string, service: 's3' | 'kms', operation: string): MatrixCall {
  return {
    name,
    service,
    operation,
    prepare: async () => {
      const key = `matrix/get-${seq++}`;
      const body = pattern(50_000, seq);
      await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: body });
      const act = async () => Buffer.from(await (await through.getObject({ Bucket: f.bucket, Key: key })).Body.transformToByteArray());
      return {
        act,
        check: (outcome: Outcome) => {
          if (outcome.ok) expect((outcome.value as Buffer).equals(body)).toBe(true);
          return Promise.resolve();
        },
      };
    },
  };
}

const deleteCall: MatrixCall = {
  name: 'deleteObject',
  service: 's3',
  operation: 'DeleteObject',
  prepare: async () => {
    const key = `matrix/delete-${seq++}`;
    await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: 'x' });
    return {
      act: () => through.deleteObject({ Bucket: f.bucket, Key: key }),
      check: async (outcome: Outcome) => {
        if (outcome.ok) expect(await objectExists(f, key)).toBe(false);
      },
    };
  },
};

faultMatrix(() => proxy, [
  put('putObject', 's3', 'PutObject', 10_000),
  put('putObject with instruction file', 's3', 'PutObject', 10_000, true),
  put('putObject data key', 'kms', 'GenerateDataKey', 10_000),
  put('upload (multipart) create', 's3', 'CreateMultipartUpload', 6 * MiB),
  put('upload (multipart) part', 's3', 'UploadPart', 6 * MiB),
  put('upload (multipart) complete', 's3', 'CompleteMultipartUpload', 6 * MiB, true),
  get('getObject', 's3', 'GetObject'),
  get('getObject data key', 'kms', 'Decrypt'),
  deleteCall,
]);
