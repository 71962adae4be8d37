// Issue #17: what `kill -9` of a process in the middle of `upload` leaves in S3. The upload
// runs in a child process (through tsx, on the TypeScript sources) reading stdin that the
// test feeds part-way, so the kill lands after parts were stored and before the upload ends.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AbortMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { awsClientConfig, createBucket, pattern, s3Client } from '@phiseal/test-support';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = join(root, 'packages/s3/test/children/upload-stdin.ts');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('kill -9 mid-upload leaves one incomplete multipart upload of ciphertext parts and no object', async () => {
  const bucket = await createBucket();
  const key = 'crash/upload.bin';
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    cwd: root,
    env: { ...process.env, AWS_ENDPOINT_URL: awsClientConfig().endpoint, BUCKET: bucket, KEY: key },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  proc.stdin.on('error', () => undefined);
  // Two full parts and a bit: the stream stays open, so the upload can never complete.
  proc.stdin.write(pattern(11 * 1024 * 1024, 8));
  const s3 = s3Client();
  let uploadId: string | undefined;
  for (let waited = 0; waited < 30_000 && uploadId === undefined; waited += 100) {
    const uploads = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }))).Uploads ?? [];
    const candidate = uploads[0]?.UploadId;
    if (candidate) {
      const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: candidate }));
      if ((parts.Parts ?? []).length >= 1) uploadId = candidate;
    }
    if (uploadId === undefined) await sleep(100);
  }
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(uploadId).toBeDefined();
  // What remains: the incomplete upload (parts of ciphertext, invisible to GetObject) and no object.
  const left = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }))).Uploads ?? [];
  expect(left.map((u) => u.UploadId)).toEqual([uploadId]);
  const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId! }));
  expect(parts.Parts?.[0]?.Size).toBe(5 * 1024 * 1024);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => 'exists',
    (error: { name?: string }) => error.name,
  );
  expect(head).toBe('NotFound');
  // Only the AbortIncompleteMultipartUpload lifecycle rule (docs/operations.md) or an explicit abort removes it.
  await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId! }));
  expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }))).Uploads ?? []).toEqual([]);
});
