import { randomBytes } from 'node:crypto';
import { GetObjectTaggingCommand, ListMultipartUploadsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyRotation } from '../src/internal/key-rotation.js';
import { rewrapStoredObject, type RewrapRun } from '../src/internal/object-rewrap.js';
import { headOf, localKeys, rawObject, readWith, writeWith } from './rewrap-support.js';

// Objects over CopyObject's 5 GiB limit are copied onto themselves in parts (UploadPartCopy).
// The same path runs here on an 11 MiB object with the limit and the part size set to 5 MiB.

const client = s3Client();
const from = localKeys('old-key');
const to = localKeys('new-key');
const MiB = 1024 * 1024;
const body = randomBytes(11 * MiB).toString('base64').slice(0, 11 * MiB);

let bucket: string;
beforeAll(async () => {
  bucket = await createBucket();
});

function run(beforeWrite?: () => Promise<void>): RewrapRun {
  let writes = 0;
  return {
    client, bucket, rotation: keyRotation(from, to), dryRun: false, maxConflictRetries: 3,
    maxCopyBytes: 5 * MiB, copyParts: { partBytes: 5 * MiB, concurrency: 2 },
    ...(beforeWrite === undefined ? {} : { beforeWrite: async () => void (writes++ === 0 && (await beforeWrite())) }),
  };
}

async function uploadsLeft(): Promise<number> {
  return ((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).length;
}

describe('objects too large for one CopyObject', () => {
  it('are copied onto themselves in parts: same body, headers and tags, only the wrapped key changes', async () => {
    await writeWith(from, bucket, 'big/a', body, { extra: { Metadata: { source: 'pacs' }, Tagging: 'tier=cold', ContentType: 'application/dicom', StorageClass: 'STANDARD_IA' } });
    const before = await rawObject(client, bucket, 'big/a');
    expect(await rewrapStoredObject(run(), 'big/a', 'x')).toMatchObject({ outcome: 'migrated', conflictsRetried: 0 });
    const after = await rawObject(client, bucket, 'big/a');
    expect(after.body.equals(before.body)).toBe(true);
    expect(after.etag).toMatch(/-3"$/);
    const { 'x-amz-3': oldKey, ...kept } = before.metadata;
    const { 'x-amz-3': newKey, ...now } = after.metadata;
    expect(newKey).not.toBe(oldKey);
    expect(now).toEqual(kept);
    expect(await headOf(client, bucket, 'big/a')).toMatchObject({ ContentType: 'application/dicom', StorageClass: 'STANDARD_IA' });
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'big/a' }))).TagSet).toEqual([{ Key: 'tier', Value: 'cold' }]);
    expect(await readWith(to, bucket, 'big/a')).toBe(body);
    expect(await readWith(from, bucket, 'big/a')).toMatch(/^error:/);
    expect(await uploadsLeft()).toBe(0);
  });

  it('a write by the application during the copy wins, and no upload is left behind', async () => {
    await writeWith(from, bucket, 'big/b', body);
    const out = await rewrapStoredObject(run(() => writeWith(from, bucket, 'big/b', 'the application wrote this')), 'big/b', 'x');
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await readWith(to, bucket, 'big/b')).toBe('the application wrote this');
    expect(await uploadsLeft()).toBe(0);
  });

  it('in a versioned bucket (the parts copy the pinned version): the completion is refused, the application wins', async () => {
    const plain = bucket;
    bucket = await createBucket();
    try {
      await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      await writeWith(from, bucket, 'big/c', body);
      const out = await rewrapStoredObject(run(() => writeWith(from, bucket, 'big/c', 'newer')), 'big/c', 'x');
      expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
      expect(await readWith(to, bucket, 'big/c')).toBe('newer');
      expect(await uploadsLeft()).toBe(0);
    } finally {
      bucket = plain;
    }
  });
});
