// Faults the emulator cannot produce, injected with a middleware on a real S3Client: the
// requests that are not failed still go to the emulator.
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, s3Client } from '@phiseal/test-support';
import { encryptedS3 } from '@phiseal/s3';
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

const MiB = 1024 * 1024;
let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

type Args = { input: Record<string, unknown> };

/** An S3 client that fails one chosen command (a mock only for the fault; everything else is real). */
function failingClient(fail: (command: string, input: Record<string, unknown>) => boolean): { client: S3Client; sent: string[] } {
  const client = new S3Client({ ...awsClientConfig(), forcePathStyle: true });
  const sent: string[] = [];
  client.middlewareStack.add(
    ((next: (args: Args) => Promise<unknown>, context: { commandName?: string }) => async (args: Args) => {
      const name = context.commandName ?? '';
      sent.push(name);
      if (fail(name, args.input)) throw Object.assign(new Error('injected fault'), { name: 'InternalError' });
      return next(args);
    }) as never,
    { step: 'initialize', name: 'injectFault' },
  );
  return { client, sent };
}

it('UploadPart failing mid-way aborts the multipart upload and removes the instruction file', async () => {
  const { client, sent } = failingClient((name, input) => name === 'UploadPartCommand' && input['PartNumber'] === 2);
  const s3 = encryptedS3({ client, envelope: f.envelope, partSize: 5 * MiB, instructionFile: true });
  const key = 'fault/upload-part';
  const error = await rejection(s3.upload({ Bucket: f.bucket, Key: key, Body: pattern(12 * MiB, 1) }));
  expect(error.code).toBe('AWS_REQUEST_FAILED');
  expect(sent).toContain('AbortMultipartUploadCommand');
  const uploads = await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: key }));
  expect(uploads.Uploads ?? []).toHaveLength(0);
  const objects = await s3Client().send(new ListObjectsV2Command({ Bucket: f.bucket, Prefix: key }));
  expect(objects.KeyCount ?? 0).toBe(0);
});

it('PutObject failing after the instruction file was written removes the instruction file', async () => {
  const { client } = failingClient((name, input) => name === 'PutObjectCommand' && !String(input['Key']).endsWith('.instruction'));
  const s3 = encryptedS3({ client, envelope: f.envelope, instructionFile: true });
  const key = 'fault/put-object';
  expect((await rejection(s3.putObject({ Bucket: f.bucket, Key: key, Body: 'x' }))).code).toBe('AWS_REQUEST_FAILED');
  const objects = await s3Client().send(new ListObjectsV2Command({ Bucket: f.bucket, Prefix: key }));
  expect(objects.KeyCount ?? 0).toBe(0);
});

it('CompleteMultipartUpload failing aborts the upload', async () => {
  const { client, sent } = failingClient((name) => name === 'CompleteMultipartUploadCommand');
  const s3 = encryptedS3({ client, envelope: f.envelope, partSize: 5 * MiB });
  const key = 'fault/complete';
  expect((await rejection(s3.upload({ Bucket: f.bucket, Key: key, Body: pattern(6 * MiB, 2) }))).code).toBe('AWS_REQUEST_FAILED');
  expect(sent.at(-1)).toBe('AbortMultipartUploadCommand');
  const uploads = await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: key }));
  expect(uploads.Uploads ?? []).toHaveLength(0);
});

it('a progress callback that throws does not turn a stored upload into a failure (nor remove its instruction file)', async () => {
  const s3 = encryptedS3({ client: s3Client(), envelope: f.envelope, partSize: 5 * MiB, instructionFile: true });
  const throwing = (): void => {
    throw new Error('progress bar broke');
  };
  for (const [key, size] of [['fault/progress-single', 1000], ['fault/progress-multi', 6 * MiB]] as const) {
    const body = pattern(size, 3);
    const out = await s3.upload({ Bucket: f.bucket, Key: key, Body: Readable.from([body]), onProgress: throwing });
    expect(out.bytes).toBe(size);
    const read = await f.s3().getObject({ Bucket: f.bucket, Key: key });
    expect(Buffer.from(await read.Body.transformToByteArray()).equals(body)).toBe(true);
  }
});

it('an onProgress that is not a function is refused before anything is sent', async () => {
  const { client, sent } = failingClient(() => false);
  const s3 = encryptedS3({ client, envelope: f.envelope });
  const onProgress = 5 as unknown as () => void;
  expect((await rejection(s3.upload({ Bucket: f.bucket, Key: 'fault/progress-type', Body: Readable.from([Buffer.from('x')]), onProgress }))).code).toBe(
    'INVALID_ARGUMENT',
  );
  expect((await rejection(s3.getObject({ Bucket: f.bucket, Key: 'fault/progress-single', onProgress }))).code).toBe('INVALID_ARGUMENT');
  expect(sent).toEqual([]);
});

it('a connection failing mid-body errors the decrypted stream with a typed error', async () => {
  const key = 'fault/mid-body';
  await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: pattern(100_000, 5) });
  for (const options of [{}, { delayedAuthentication: true }] as const) {
    const client = s3Client();
    client.middlewareStack.add(
      ((next: (args: unknown) => Promise<{ output: { Body?: unknown } }>) => async (args: unknown) => {
        const result = await next(args);
        const real = result.output.Body as AsyncIterable<Uint8Array>;
        result.output.Body = Readable.from(
          (async function* () {
            for await (const chunk of real) {
              yield chunk;
              throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
            }
          })(),
        );
        return result;
      }) as never,
      { step: 'initialize', name: 'resetMidBody' },
    );
    const out = await encryptedS3({ client, envelope: f.envelope, ...options }).getObject({ Bucket: f.bucket, Key: key });
    expect((await rejection(out.Body.transformToByteArray())).code).toBe('AWS_REQUEST_FAILED');
  }
});
