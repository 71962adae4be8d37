// Multipart upload in constant memory, streaming reads, authentication modes, ranged reads.
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '@phiseal/s3';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

/** A Node Readable yielding `body` in chunks of `chunk` bytes. */
function chunked(body: Buffer, chunk = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= body.length) this.push(null);
      else {
        this.push(body.subarray(offset, offset + chunk));
        offset += chunk;
      }
    },
  });
}

/** A web ReadableStream yielding `body` in chunks of `chunk` bytes. */
function webStream(body: Buffer, chunk = 100_000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) controller.close();
      else {
        controller.enqueue(new Uint8Array(body.subarray(offset, offset + chunk)));
        offset += chunk;
      }
    },
  });
}

async function storedSize(key: string): Promise<number | undefined> {
  return (await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }))).ContentLength;
}

async function openUploads(prefix: string): Promise<number> {
  const out = await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: prefix }));
  return out.Uploads?.length ?? 0;
}

describe.each(['v3', 'v2'] as const)('upload (%s)', (format) => {
  const sizes: [string, number, number][] = [
    ['0 bytes', 0, 1],
    ['1 byte', 1, 1],
    ['one part minus 1', PART - 1, 1],
    ['exactly one part', PART, 1],
    ['one part plus 1', PART + 1, 2],
    ['3 parts plus 3 bytes', 3 * PART + 3, 4],
  ];
  for (const [name, size, parts] of sizes) {
    it(`${name} from a Node stream`, async () => {
      const key = `up/${format}/${size}`;
      const body = pattern(size, size + 1);
      const out = await f.s3({ format, partSize: PART }).upload({ Bucket: f.bucket, Key: key, Body: chunked(body, 70_001) });
      expect(out.parts).toBe(parts);
      expect(out.bytes).toBe(size);
      expect(await storedSize(key)).toBe(size + 16);
      const read = await f.s3({ format }).getObject({ Bucket: f.bucket, Key: key });
      expect(Buffer.from(await read.Body.transformToByteArray()).equals(body)).toBe(true);
    });
  }

  it('a web ReadableStream of 3 parts, with progress', async () => {
    const key = `up/${format}/web`;
    const body = pattern(2 * PART + 12_345, 77);
    const events: ProgressEvent[] = [];
    const out = await f.s3({ format, partSize: PART }).upload({
      Bucket: f.bucket,
      Key: key,
      Body: webStream(body),
      context: { batch: '7' },
      onProgress: (e) => events.push(e),
    });
    expect(out.parts).toBe(3);
    expect(events.length).toBe(3);
    expect(events.at(-1)?.loadedBytes).toBe(body.length);
    expect(events.every((e) => e.totalBytes === undefined)).toBe(true);
    const reads: ProgressEvent[] = [];
    const read = await f.s3({ format }).getObject({ Bucket: f.bucket, Key: key, context: { batch: '7' }, onProgress: (e) => reads.push(e) });
    expect(Buffer.from(await read.Body.transformToByteArray()).equals(body)).toBe(true);
    expect(reads.at(-1)).toEqual({ loadedBytes: body.length, totalBytes: body.length });
    const loaded = reads.map((e) => e.loadedBytes);
    expect([...loaded].sort((a, b) => a - b)).toEqual(loaded);
  });
});

it('upload of an in-memory body reports the total', async () => {
  const body = pattern(PART + 10, 3);
  const events: ProgressEvent[] = [];
  await f.s3({ partSize: PART }).upload({ Bucket: f.bucket, Key: 'up/bytes', Body: body, onProgress: (e) => events.push(e) });
  expect(events.at(-1)).toEqual({ loadedBytes: body.length, totalBytes: body.length });
});

it('putObject with a stream body goes through upload', async () => {
  const body = pattern(1000, 8);
  const out = await f.s3().putObject({ Bucket: f.bucket, Key: 'up/put-stream', Body: chunked(body, 100) });
  expect('parts' in out && out.parts).toBe(1);
  const read = await f.s3().getObject({ Bucket: f.bucket, Key: 'up/put-stream' });
  expect(Buffer.from(await read.Body.transformToByteArray()).equals(body)).toBe(true);
});

it('a source stream failing mid-way aborts the upload: no object, no parts left', async () => {
  const prefix = 'up/failing-source';
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= 2 * PART) this.destroy(new Error('disk read failed'));
      else {
        this.push(pattern(MiB, sent));
        sent += MiB;
      }
    },
  });
  const error = await rejection(f.s3({ partSize: PART }).upload({ Bucket: f.bucket, Key: prefix, Body: source }));
  expect(error).toBeInstanceOf(Error);
  expect(await openUploads(prefix)).toBe(0);
  const listed = await s3Client().send(new ListObjectsV2Command({ Bucket: f.bucket, Prefix: prefix }));
  expect(listed.KeyCount ?? 0).toBe(0);
});

it('an aborted signal cancels the upload and leaves nothing behind', async () => {
  const prefix = 'up/aborted';
  const controller = new AbortController();
  const body = pattern(3 * PART, 2);
  const error = await rejection(
    f.s3({ partSize: PART }).upload({
      Bucket: f.bucket,
      Key: prefix,
      Body: chunked(body),
      abortSignal: controller.signal,
      onProgress: () => controller.abort(),
    }),
  );
  expect((error as Error).name).toBe('AbortError');
  expect(await openUploads(prefix)).toBe(0);
});

describe('authenticated reads', () => {
  const key = 'auth/object';
  const body = pattern(300_000, 12);
  beforeAll(async () => {
    await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: body });
  });

  it('over the buffer limit the read fails before any plaintext, unless delayed authentication is on', async () => {
    const small = f.s3({ bufferLimitBytes: 100_000 });
    expect((await rejection(small.getObject({ Bucket: f.bucket, Key: key }))).code).toBe('LIMIT_EXCEEDED');
    const delayed = await small.getObject({ Bucket: f.bucket, Key: key, delayedAuthentication: true });
    expect(Buffer.from(await delayed.Body.transformToByteArray()).equals(body)).toBe(true);
    const configured = await f.s3({ bufferLimitBytes: 100_000, delayedAuthentication: true }).getObject({ Bucket: f.bucket, Key: key });
    expect((await configured.Body.transformToByteArray()).length).toBe(body.length);
  });

  it('a bad tag: buffered mode releases nothing, delayed mode errors at the end', async () => {
    const { GetObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    const bytes = Buffer.from(await raw.Body!.transformToByteArray());
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: 'auth/bad-tag', Body: bytes, Metadata: raw.Metadata }));

    const buffered = await f.s3().getObject({ Bucket: f.bucket, Key: 'auth/bad-tag' });
    let releasedBuffered = 0;
    const bufferedError = await rejection(
      (async () => {
        for await (const chunk of buffered.Body) releasedBuffered += (chunk as Buffer).length;
      })(),
    );
    expect(bufferedError.code).toBe('DECRYPTION_FAILED');
    expect(releasedBuffered).toBe(0);

    const delayed = await f.s3({ delayedAuthentication: true }).getObject({ Bucket: f.bucket, Key: 'auth/bad-tag' });
    let releasedDelayed = 0;
    const delayedError = await rejection(
      (async () => {
        for await (const chunk of delayed.Body) releasedDelayed += (chunk as Buffer).length;
      })(),
    );
    expect(delayedError.code).toBe('DECRYPTION_FAILED');
    // The documented risk of delayed authentication: unverified plaintext was released.
    expect(releasedDelayed).toBeGreaterThan(0);
  });
});

describe('ranged reads', () => {
  const key = 'range/object';
  const body = pattern(1000, 5);
  beforeAll(async () => {
    await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: body });
  });

  it('are refused without the unauthenticated opt-in, before any request', async () => {
    expect((await rejection(f.s3().getObject({ Bucket: f.bucket, Key: key, Range: 'bytes=0-9' }))).code).toBe('UNSUPPORTED_OPERATION');
  });

  const ranges: [string, number, number][] = [
    ['bytes=0-0', 0, 1],
    ['bytes=0-15', 0, 16],
    ['bytes=15-16', 15, 17],
    ['bytes=17-500', 17, 501],
    ['bytes=990-', 990, 1000],
    ['bytes=990-5000', 990, 1000],
  ];
  for (const [range, from, to] of ranges) {
    it(`decrypt ${range} with the opt-in`, async () => {
      for (const format of ['v3', 'v2'] as const) {
        const k = `${key}-${format}`;
        await f.s3({ format }).putObject({ Bucket: f.bucket, Key: k, Body: body });
        const out = await f.s3({ unauthenticatedRangedReads: true, commitmentPolicy: 'require-encrypt-allow-decrypt' }).getObject({ Bucket: f.bucket, Key: k, Range: range });
        const got = Buffer.from(await out.Body.transformToByteArray());
        expect(got.equals(body.subarray(from, to))).toBe(true);
        expect(out.ContentLength).toBe(to - from);
        expect(out.ContentRange).toBe(`bytes ${from}-${to - 1}/${body.length}`);
      }
    });
  }

  it('refuses a malformed range', async () => {
    const s3 = f.s3({ unauthenticatedRangedReads: true });
    expect((await rejection(s3.getObject({ Bucket: f.bucket, Key: key, Range: 'bytes=-10' }))).code).toBe('INVALID_ARGUMENT');
  });
});
