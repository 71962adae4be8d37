// Instruction files: layout written, reads, tampering, deleteObject.
import { GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { encryptedS3 } from '@phiseal/s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, objectExists, pattern, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const context = { tenant: 'clinic-a' };

async function rawInstruction(key: string): Promise<{ json: Record<string, string>; metadata: Record<string, string> }> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: `${key}.instruction` }));
  return { json: JSON.parse(await out.Body!.transformToString()) as Record<string, string>, metadata: out.Metadata ?? {} };
}

describe.each(['v3', 'v2'] as const)('instruction files (%s)', (format) => {
  const policy = format === 'v3' ? 'require-encrypt-require-decrypt' : 'forbid-encrypt-allow-decrypt';
  const key = `inst/${format}/object`;
  const body = pattern(5000, 31);

  beforeAll(async () => {
    await f.s3({ format, instructionFile: true }).putObject({ Bucket: f.bucket, Key: key, Body: body, context, Metadata: { owner: 'lab' } });
  });

  it('splits the metadata as the specification says', async () => {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
    const onObject = Object.keys(head.Metadata ?? {}).filter((k) => k.startsWith('x-amz-')).sort();
    const { json, metadata } = await rawInstruction(key);
    if (format === 'v3') {
      expect(onObject).toEqual(['x-amz-c', 'x-amz-d', 'x-amz-i']);
      expect(Object.keys(json).sort()).toEqual(['x-amz-3', 'x-amz-t', 'x-amz-w']);
    } else {
      expect(onObject).toEqual([]);
      expect(Object.keys(json).sort()).toEqual(['x-amz-cek-alg', 'x-amz-iv', 'x-amz-key-v2', 'x-amz-matdesc', 'x-amz-tag-len', 'x-amz-wrap-alg']);
    }
    expect(metadata['x-amz-crypto-instr-file']).toBe('');
  });

  it('reads back, also through the per-call instructionFile switch and a custom suffix on read', async () => {
    const s3 = f.s3({ format, commitmentPolicy: policy });
    const out = await s3.getObject({ Bucket: f.bucket, Key: key, context });
    expect(Buffer.from(await out.Body.transformToByteArray()).equals(body)).toBe(true);
    expect(out.Metadata).toEqual({ owner: 'lab' });

    const other = `inst/${format}/per-call`;
    await f.s3({ format }).putObject({ Bucket: f.bucket, Key: other, Body: 'per call', instructionFile: true });
    expect(await objectExists(f, `${other}.instruction`)).toBe(true);
    const { json } = await rawInstruction(other);
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: `${other}.rotated`, Body: JSON.stringify(json) }));
    const rotated = await s3.getObject({ Bucket: f.bucket, Key: other, instructionFileSuffix: '.rotated' });
    expect(await rotated.Body.transformToString()).toBe('per call');
  });

  it('a missing instruction file is refused', async () => {
    const lonely = `inst/${format}/lonely`;
    const head = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: lonely, Body: Buffer.from(await head.Body!.transformToByteArray()), Metadata: head.Metadata }));
    // A V3 object keeps x-amz-c, x-amz-d and x-amz-i: without its instruction file it is
    // tampered. A V2 object keeps no S3EC mapkey at all, so without its instruction file it
    // cannot be told from plaintext (the stripped-record limit of docs/switch-over.md):
    // refused as plaintext under the default 'encrypted-only'.
    const expected = format === 'v3' ? 'MALFORMED_CIPHERTEXT' : 'PLAINTEXT_REFUSED';
    expect((await rejection(f.s3({ format, commitmentPolicy: policy }).getObject({ Bucket: f.bucket, Key: lonely, context }))).code).toBe(expected);
  });

  const tampers: [string, (json: Record<string, string>) => Record<string, string>, string][] = [
    ['not JSON', () => ({}), 'MALFORMED_CIPHERTEXT'],
    ['an unknown key', (j) => ({ ...j, 'x-amz-other': '1' }), 'MALFORMED_CIPHERTEXT'],
    ['a non-string value', (j) => ({ ...j, 'x-amz-w': 12 as unknown as string }), 'MALFORMED_CIPHERTEXT'],
  ];
  if (format === 'v3') {
    tampers.push(
      ['x-amz-c injected', (j) => ({ ...j, 'x-amz-c': '115' }), 'MALFORMED_CIPHERTEXT'],
      ['x-amz-d injected', (j) => ({ ...j, 'x-amz-d': 'AAAA' }), 'MALFORMED_CIPHERTEXT'],
      [
        'V2 keys injected to skip commitment',
        (j) => ({
          'x-amz-key-v2': j['x-amz-3']!,
          'x-amz-iv': Buffer.alloc(12).toString('base64'),
          'x-amz-cek-alg': 'AES/GCM/NoPadding',
          'x-amz-tag-len': '128',
          'x-amz-wrap-alg': 'kms+context',
          'x-amz-matdesc': j['x-amz-t']!,
        }),
        'MALFORMED_CIPHERTEXT',
      ],
    );
  }
  for (const [name, alter, code] of tampers) {
    it(`refuses an instruction file with ${name}`, async () => {
      const copy = `inst/${format}/tampered-${name.replace(/\W+/g, '-')}`;
      const original = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
      await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: copy, Body: Buffer.from(await original.Body!.transformToByteArray()), Metadata: original.Metadata }));
      const { json } = await rawInstruction(key);
      const text = name === 'not JSON' ? '{not json' : JSON.stringify(alter(json));
      await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: `${copy}.instruction`, Body: text }));
      const reader = f.s3({ commitmentPolicy: 'require-encrypt-allow-decrypt' });
      expect((await rejection(reader.getObject({ Bucket: f.bucket, Key: copy, context }))).code).toBe(code);
    });
  }

  it('deleteObject removes the object and its instruction file', async () => {
    const doomed = `inst/${format}/doomed`;
    await f.s3({ format, instructionFile: true }).putObject({ Bucket: f.bucket, Key: doomed, Body: 'bye' });
    expect(await objectExists(f, doomed)).toBe(true);
    expect(await objectExists(f, `${doomed}.instruction`)).toBe(true);
    await f.s3({ format }).deleteObject({ Bucket: f.bucket, Key: doomed });
    expect(await objectExists(f, doomed)).toBe(false);
    expect(await objectExists(f, `${doomed}.instruction`)).toBe(false);
  });
});

it('a multipart upload can use an instruction file', async () => {
  const key = 'inst/multipart';
  const body = pattern(11 * 1024 * 1024, 8);
  const out = await f.s3({ instructionFile: true, partSize: 5 * 1024 * 1024 }).upload({ Bucket: f.bucket, Key: key, Body: body });
  expect(out.parts).toBe(3);
  const read = await f.s3().getObject({ Bucket: f.bucket, Key: key });
  expect(Buffer.from(await read.Body.transformToByteArray()).equals(body)).toBe(true);
});

it('refuses an oversized instruction file without reading its body', async () => {
  const key = 'inst/oversized';
  await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: 'not encrypted' }));
  await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: `${key}.instruction`, Body: Buffer.alloc(4 * 1024 * 1024, 0x20) }));
  const client = s3Client();
  let instructionBytesRead = 0;
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<{ output: { Body?: { transformToByteArray: () => Promise<Uint8Array> } } }>) =>
      async (args: { input: { Key?: string } }) => {
        const result = await next(args);
        const body = result.output.Body;
        if (body && args.input.Key?.endsWith('.instruction')) {
          const read = body.transformToByteArray.bind(body);
          body.transformToByteArray = async () => {
            const bytes = await read();
            instructionBytesRead += bytes.length;
            return bytes;
          };
        }
        return result;
      }) as never,
    { step: 'initialize', name: 'spyInstructionReads' },
  );
  const s3 = encryptedS3({ client, envelope: f.envelope });
  expect((await rejection(s3.getObject({ Bucket: f.bucket, Key: key }))).code).toBe('MALFORMED_CIPHERTEXT');
  expect(instructionBytesRead).toBe(0);
});

it('deleting an old version keeps the instruction file of the current one', async () => {
  const bucket = await createBucket();
  await s3Client().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const s3 = f.s3({ instructionFile: true });
  const key = 'versioned/object';
  await s3.putObject({ Bucket: bucket, Key: key, Body: 'first' });
  const first = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  await s3.putObject({ Bucket: bucket, Key: key, Body: 'second' });
  expect(first.VersionId).toBeTruthy();
  await s3.deleteObject({ Bucket: bucket, Key: key, VersionId: first.VersionId! });
  expect(await (await s3.getObject({ Bucket: bucket, Key: key })).Body.transformToString()).toBe('second');
});
