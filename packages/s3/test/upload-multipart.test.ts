// lib-storage's Upload above one part through withEncryption(s3Client), against the emulator:
// its CreateMultipartUpload / UploadPart / CompleteMultipartUpload become one encrypted S3EC
// object that phiseal and the official Python S3 Encryption Client read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { withEncryption, type BucketEncryption } from '@phiseal/s3';
import { runPythonPeer, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

const MiB = 1024 * 1024;
const peer = fileURLToPath(new URL('./s3ec_peer.py', import.meta.url));
const context = { dataset: 'imaging' };
let f: Fixture;
let dir: string;
beforeAll(async () => {
  f = await fixture();
  dir = mkdtempSync(join(tmpdir(), 'phiseal-s3-mpu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const client = (options: Partial<BucketEncryption> = {}): S3Client =>
  withEncryption(s3Client(), { buckets: { [f.bucket]: { envelope: f.envelope, context, ...options } } });

async function readBack(s3: S3Client, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function storedLength(key: string): Promise<number | undefined> {
  return (await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }))).ContentLength;
}

async function pythonGet(key: string, requireCommitment: boolean): Promise<Buffer> {
  const out = join(dir, `${key.replace(/\W/g, '_')}.out`);
  const result = await runPythonPeer(peer, ['get', f.keyArn, f.bucket, key, out, JSON.stringify(context), ...(requireCommitment ? ['require-commitment'] : [])]);
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(out);
}

async function openUploads(prefix: string): Promise<number> {
  const out = await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: prefix }));
  return out.Uploads?.length ?? 0;
}

describe("withEncryption(s3Client) + lib-storage's Upload above one part", () => {
  it('12 MiB in 3 parts sent 4 at a time (last part short: re-sent with the tag); phiseal and Python read it', async () => {
    const s3 = client();
    const body = pattern(12 * MiB, 21);
    const parts: number[] = [];
    const upload = new Upload({ client: s3, params: { Bucket: f.bucket, Key: 'mpu/12mib.bin', Body: body, ContentType: 'application/dicom' }, partSize: 5 * MiB, queueSize: 4 });
    upload.on('httpUploadProgress', (p) => parts.push(p.part ?? 0));
    await upload.done();
    expect(new Set(parts)).toEqual(new Set([1, 2, 3]));
    expect(await storedLength('mpu/12mib.bin')).toBe(12 * MiB + 16);
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mpu/12mib.bin' }));
    const stored = Buffer.from(await raw.Body!.transformToByteArray());
    expect(stored.subarray(0, 4096).equals(body.subarray(0, 4096))).toBe(false);
    expect(raw.ContentType).toBe('application/dicom');
    expect((await readBack(s3, 'mpu/12mib.bin')).equals(body)).toBe(true);
    const explicit = await f.s3().getObject({ Bucket: f.bucket, Key: 'mpu/12mib.bin', context });
    expect(Buffer.from(await explicit.Body.transformToByteArray()).equals(body)).toBe(true);
    expect((await pythonGet('mpu/12mib.bin', true)).equals(body)).toBe(true);
    expect(await openUploads('mpu/12mib')).toBe(0);
  }, 120_000);

  it('V2, a stream of exactly 2 full parts (tag as a third part); Python reads it', async () => {
    const s3 = client({ format: 'v2' });
    const body = pattern(10 * MiB, 22);
    const chunks = Array.from({ length: 40 }, (_, i) => body.subarray(i * 256 * 1024, (i + 1) * 256 * 1024));
    await new Upload({ client: s3, params: { Bucket: f.bucket, Key: 'mpu/v2.bin', Body: Readable.from(chunks) }, partSize: 5 * MiB, queueSize: 2 }).done();
    expect(await storedLength('mpu/v2.bin')).toBe(10 * MiB + 16);
    expect((await readBack(s3, 'mpu/v2.bin')).equals(body)).toBe(true);
    expect((await pythonGet('mpu/v2.bin', false)).equals(body)).toBe(true);
  }, 120_000);

  it('with instruction files: the instruction file is written at Complete and read back', async () => {
    const s3 = client({ instructionFile: true });
    const body = pattern(11 * MiB, 23);
    await new Upload({ client: s3, params: { Bucket: f.bucket, Key: 'mpu/instr.bin', Body: body }, queueSize: 1 }).done();
    expect(await storedLength('mpu/instr.bin.instruction')).toBeGreaterThan(0);
    expect((await readBack(s3, 'mpu/instr.bin')).equals(body)).toBe(true);
    expect((await pythonGet('mpu/instr.bin', true)).equals(body)).toBe(true);
  }, 120_000);

  it('a body that fails mid-way: Upload aborts, nothing is left, the upload id is forgotten', async () => {
    const s3 = client();
    let uploadId: string | undefined;
    s3.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const id = (out.output as { UploadId?: string }).UploadId;
        if (id !== undefined) uploadId = id;
        return out;
      },
      { step: 'initialize', name: 'testSeeUploadId', priority: 'high' },
    );
    async function* failing(): AsyncGenerator<Buffer> {
      yield pattern(6 * MiB, 24);
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('disk went away');
    }
    const upload = new Upload({ client: s3, params: { Bucket: f.bucket, Key: 'mpu/failed.bin', Body: Readable.from(failing()) }, partSize: 5 * MiB });
    await expect(upload.done()).rejects.toThrow();
    expect(uploadId).toBeDefined();
    expect(await openUploads('mpu/failed')).toBe(0);
    const late = await rejection(s3.send(new UploadPartCommand({ Bucket: f.bucket, Key: 'mpu/failed.bin', UploadId: uploadId, PartNumber: 2, Body: 'x' })));
    expect([late.code, late.details?.['reason']]).toEqual(['UNSUPPORTED_OPERATION', 'unknown-upload']);
  }, 120_000);

  it('refuses what would break the stream: unknown upload ids, re-sent parts, partial part lists, plaintext checksums', async () => {
    const s3 = client();
    const key = 'mpu/manual.bin';
    const unknown = await rejection(s3.send(new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId: 'not-ours', PartNumber: 1, Body: 'x' })));
    expect(unknown.details?.['reason']).toBe('unknown-upload');

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key }));
    const checksum = await rejection(s3.send(new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId, PartNumber: 1, Body: 'x', ChecksumCRC32: 'AAAAAA==' })));
    expect([checksum.code, checksum.details?.['field']]).toEqual(['UNSUPPORTED_OPERATION', 'ChecksumCRC32']);
    const one = await s3.send(new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId, PartNumber: 1, Body: pattern(5 * MiB, 25) }));
    const again = await rejection(s3.send(new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId, PartNumber: 1, Body: pattern(5 * MiB, 25) })));
    expect(again.details?.['reason']).toBe('part-resent');
    const partial = await rejection(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId, MultipartUpload: { Parts: [] } })),
    );
    expect(partial.details?.['reason']).toBe('part-list');
    expect(one.ETag).toBeDefined();
    expect(await openUploads(key)).toBe(1);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId }));
    expect(await openUploads(key)).toBe(0);
    // A PHI key is refused before CreateMultipartUpload is sent.
    const phi = await rejection(s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: 'scans/123-45-6789.dcm' })));
    expect(phi.code).toBe('PHI_DETECTED');
  }, 60_000);
});
