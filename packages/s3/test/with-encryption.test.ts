// withEncryption(s3Client): the caller's own S3Client and lib-storage Upload, against the
// emulator; what the middleware writes is an S3 Encryption Client object the explicit API and
// the official Python S3EC read.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  SelectObjectContentCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { encryptedS3, withEncryption } from '@phiseal/s3';
import { createBucket, runPythonPeer, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

const peer = fileURLToPath(new URL('./s3ec_peer.py', import.meta.url));
const context = { dataset: 'lab-results' };
let f: Fixture;
let plainBucket: string;
let dir: string;
beforeAll(async () => {
  [f, plainBucket] = await Promise.all([fixture(), createBucket()]);
  dir = mkdtempSync(join(tmpdir(), 'phiseal-s3-middleware-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const client = () => withEncryption(s3Client(), { buckets: { [f.bucket]: { envelope: f.envelope, context } } });

describe('withEncryption(s3Client)', () => {
  it('PutObjectCommand stores ciphertext; GetObjectCommand returns the plaintext', async () => {
    const s3 = client();
    const body = Buffer.from('{"mrn":"448812","glucose":"5.4 mmol/L"}');
    await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/put.json', Body: body, ContentType: 'application/json' }));
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/put.json' }));
    const stored = Buffer.from(await raw.Body!.transformToByteArray());
    expect(stored.includes(Buffer.from('448812'))).toBe(false);
    expect(stored.length).toBe(body.length + 16);
    expect(Object.keys(raw.Metadata ?? {}).some((k) => k.startsWith('x-amz-'))).toBe(true);
    const out = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/put.json' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(out.ContentType).toBe('application/json');
    // The explicit API reads it with the same context.
    const explicit = await f.s3().getObject({ Bucket: f.bucket, Key: 'mw/put.json', context });
    expect(await explicit.Body.transformToString()).toBe(body.toString());
  });

  it("lib-storage's Upload of a body below its part size is encrypted", async () => {
    const s3 = client();
    const body = pattern(200_000, 5);
    await new Upload({ client: s3, params: { Bucket: f.bucket, Key: 'mw/upload.bin', Body: body } }).done();
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/upload.bin' }));
    expect(Buffer.from(await raw.Body!.transformToByteArray()).equals(body)).toBe(false);
    const out = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/upload.bin' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('the official Python S3 Encryption Client reads what the middleware writes', async () => {
    const body = pattern(5000, 11);
    await client().send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/python.bin', Body: body }));
    const out = join(dir, 'python.out');
    const result = await runPythonPeer(peer, ['get', f.keyArn, f.bucket, 'mw/python.bin', out, JSON.stringify(context), 'require-commitment']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out).equals(body)).toBe(true);
  }, 60_000);

  it('DeleteObjectCommand deletes; listing and head pass through; service errors are the SDK objects', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/delete.txt', Body: 'x' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'mw/delete.txt' }))).ContentLength).toBe(17);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: f.bucket, Prefix: 'mw/delete' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['mw/delete.txt']);
    await s3.send(new DeleteObjectCommand({ Bucket: f.bucket, Key: 'mw/delete.txt' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/delete.txt' }))).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('guards names before sending: PHI in a key or metadata is refused', async () => {
    const s3 = client();
    const key = await rejection(s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'patients/123-45-6789.pdf', Body: 'x' })));
    expect(key.code).toBe('PHI_DETECTED');
    const meta = await rejection(s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/m', Body: 'x', Metadata: { patient: 'jane.doe@example.com' } })));
    expect(meta.code).toBe('PHI_DETECTED');
  });

  it('refuses commands and fields it cannot make safe, with a remedy, before sending', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/src.txt', Body: 'secret' }));
    const refusals = await Promise.all([
      rejection(s3.send(new CopyObjectCommand({ Bucket: f.bucket, Key: 'mw/copy.txt', CopySource: `${f.bucket}/mw/src.txt` }))),
      rejection(s3.send(new CopyObjectCommand({ Bucket: plainBucket, Key: 'copy.txt', CopySource: `${f.bucket}/mw/src.txt` }))),
      rejection(
        s3.send(
          new SelectObjectContentCommand({
            Bucket: f.bucket, Key: 'mw/src.txt', Expression: 'select * from s3object', ExpressionType: 'SQL',
            InputSerialization: { CSV: {} }, OutputSerialization: { CSV: {} },
          }),
        ),
      ),
      rejection(s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/src.txt', Range: 'bytes=0-2' }))),
      rejection(s3.send(new UploadPartCopyCommand({ Bucket: f.bucket, Key: 'mw/big', UploadId: 'u', PartNumber: 1, CopySource: `${f.bucket}/mw/src.txt` }))),
      rejection(s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/sse', Body: 'x', ContentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==' }))),
      rejection(s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/src.txt', PartNumber: 1 }))),
    ]);
    // ContentMD5 of the plaintext is refused by the explicit API (INVALID_ARGUMENT, with the reason).
    expect(refusals.map((e) => e.code)).toEqual([...Array(5).fill('UNSUPPORTED_OPERATION'), 'INVALID_ARGUMENT', 'UNSUPPORTED_OPERATION']);
    expect((await s3Client().send(new ListObjectsV2Command({ Bucket: plainBucket }))).KeyCount ?? 0).toBe(0);
  });

  // Second outside review (docs/threat-model.md): a CopySource that does not percent-decode crashed the middleware
  // with a URIError (untyped) instead of being resolved or refused.
  it('a CopySource that does not percent-decode is refused with a typed error, nothing copied', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'mw/src2.txt', Body: 'secret' }));
    const refusals = await Promise.all([
      rejection(s3.send(new CopyObjectCommand({ Bucket: plainBucket, Key: 'copy2.txt', CopySource: `${f.bucket}/mw/src2.txt%E0%A4%A` }))),
      rejection(s3.send(new CopyObjectCommand({ Bucket: plainBucket, Key: 'copy3.txt', CopySource: `%E0%A4%A${f.bucket}/mw/src2.txt` }))),
    ]);
    expect(refusals.map((e) => e.code)).toEqual(['UNSUPPORTED_OPERATION', 'UNSUPPORTED_OPERATION']);
    expect((await s3Client().send(new ListObjectsV2Command({ Bucket: plainBucket }))).KeyCount ?? 0).toBe(0);
  });

  // Second outside review (docs/threat-model.md): encryptedS3 on a client wrapped by
  // withEncryption had its own requests intercepted (its S3EC metadata refused as user metadata).
  it('encryptedS3 on the same wrapped client writes and reads objects the middleware reads', async () => {
    const s3 = client();
    const explicit = encryptedS3({ client: s3, envelope: f.envelope });
    await explicit.putObject({ Bucket: f.bucket, Key: 'mw/explicit.txt', Body: 'MRN 448812', context });
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/explicit.txt' }));
    expect(await raw.Body!.transformToString()).not.toContain('448812');
    expect(await (await explicit.getObject({ Bucket: f.bucket, Key: 'mw/explicit.txt', context })).Body.transformToString()).toBe('MRN 448812');
    const viaMiddleware = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'mw/explicit.txt' }));
    expect(await viaMiddleware.Body!.transformToString()).toBe('MRN 448812');
  });

  it('matches the bucket by access point ARN: an unconfigured access point is refused, not sent in the clear', async () => {
    const error = await rejection(
      client().send(new PutObjectCommand({ Bucket: 'arn:aws:s3:us-east-1:123456789012:accesspoint/lab', Key: 'k', Body: 'MRN 448812' })),
    );
    expect(error.code).toBe('UNSUPPORTED_OPERATION');
  });

  it('other buckets pass through untouched', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: plainBucket, Key: 'plain.txt', Body: 'public notice' }));
    const raw = await s3Client().send(new GetObjectCommand({ Bucket: plainBucket, Key: 'plain.txt' }));
    expect(await raw.Body!.transformToString()).toBe('public notice');
  });
});
