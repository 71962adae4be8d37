// Defect #17.1: a GetObject body whose connection is cut while phiseal awaits something
// else (the instruction file, the KMS unwrap) must give the caller a typed error, never an
// unhandled 'error' event that kills the process. The cut is made by the fault proxy (the
// emulator cannot cut a connection): headers and a first slice of the body arrive, then the
// socket closes while KMS Decrypt is held back by injected latency.
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import {
  awsClientConfig,
  createBucket,
  createKmsKey,
  pattern,
  proxiedClients,
  rejection,
  startFaultProxy,
  watchdog,
  type FaultProxy,
} from '@phiseal/test-support';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

let proxy: FaultProxy;
let bucket: string;
let keyArn: string;
const uncaught: unknown[] = [];
const record = (error: unknown): void => {
  uncaught.push(error);
};

beforeAll(async () => {
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 11 });
  [bucket, keyArn] = await Promise.all([createBucket(), createKmsKey('cut body')]);
  process.on('uncaughtException', record);
});
afterEach(() => {
  proxy.clear();
  uncaught.length = 0;
});
afterAll(async () => {
  process.off('uncaughtException', record);
  await proxy.stop();
});

/** A reader with its own envelope (no cached data key), so the unwrap really calls KMS. */
function reader() {
  const clients = proxiedClients(proxy, { maxAttempts: 1 });
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: clients.kms }) });
  return { envelope, s3: (options: { instructionFile?: boolean; unauthenticatedRangedReads?: boolean } = {}) => encryptedS3({ client: clients.s3, envelope, ...options }) };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const layout of ['metadata', 'instruction file'] as const) {
  it(`a body cut while the data key is unwrapped (${layout}): a typed error, no uncaught exception`, async () => {
    const key = `cut/${layout.replace(' ', '-')}`;
    const writer = reader();
    await writer.s3({ instructionFile: layout === 'instruction file' }).putObject({ Bucket: bucket, Key: key, Body: pattern(300_000, 4) });
    proxy.add({ service: 's3', operation: 'GetObject', contains: `${key}?`, fault: { kind: 'truncate', bytes: 1000, afterMs: 50 } });
    proxy.add({ service: 's3', operation: 'GetObject', contains: `${key}?x-id`, fault: { kind: 'truncate', bytes: 1000, afterMs: 50 } });
    proxy.add({ service: 'kms', operation: 'Decrypt', fault: { kind: 'latency', ms: 400 } });
    const { s3 } = reader();
    const outcome = await watchdog(
      s3()
        .getObject({ Bucket: bucket, Key: key })
        .then((out) => out.Body.transformToByteArray()),
      10_000,
    ).then(
      () => 'resolved',
      (error: { code?: string; retryable?: boolean }) => error,
    );
    await settle(100);
    expect(uncaught).toEqual([]);
    expect(outcome).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true });
  });
}

it('a ranged read whose body is cut before it is read: a typed error, no uncaught exception', async () => {
  const key = 'cut/ranged';
  await reader().s3().putObject({ Bucket: bucket, Key: key, Body: pattern(300_000, 5) });
  proxy.add({ service: 's3', operation: 'GetObject', contains: key, fault: { kind: 'truncate', bytes: 1000, afterMs: 0 } });
  const out = await reader().s3({ unauthenticatedRangedReads: true }).getObject({ Bucket: bucket, Key: key, Range: 'bytes=100-200000' });
  await settle(200);
  const error = await rejection(out.Body.transformToByteArray());
  expect(uncaught).toEqual([]);
  expect(error.code).toBe('AWS_REQUEST_FAILED');
});

it('a decrypted body handed out but never read, whose connection is cut: no uncaught exception', async () => {
  const key = 'cut/unread';
  await reader().s3().putObject({ Bucket: bucket, Key: key, Body: pattern(300_000, 6) });
  proxy.add({ service: 's3', operation: 'GetObject', contains: key, fault: { kind: 'truncate', bytes: 1000, afterMs: 100 } });
  const out = await reader().s3().getObject({ Bucket: bucket, Key: key });
  await settle(300);
  expect(uncaught).toEqual([]);
  out.Body.destroy();
});
