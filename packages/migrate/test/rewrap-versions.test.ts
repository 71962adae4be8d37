import { ListObjectVersionsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createEnvelope } from '@phiseal/core';
import { rewrapBucket } from '@phiseal/migrate';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, localKeys, readWith, writeWith } from './rewrap-support.js';

const client = s3Client();
const from = localKeys('old-key');
const to = localKeys('new-key');

let bucket: string;
beforeAll(async () => {
  bucket = await createBucket();
  await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});

async function versionsOf(prefix: string): Promise<{ key: string; versionId: string; latest: boolean }[]> {
  const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return (out.Versions ?? []).map((v) => ({ key: v.Key!, versionId: v.VersionId!, latest: v.IsLatest === true }));
}

/** The plaintext of one version, read under `keys` (or the failure's code). */
async function versionWith(keys: typeof from, key: string, versionId: string): Promise<string> {
  const s3 = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys, cache: false }) });
  try {
    const out = await s3.getObject({ Bucket: bucket, Key: key, VersionId: versionId, context });
    return Buffer.from(await out.Body.transformToByteArray()).toString();
  } catch (error) {
    return `error:${(error as { code?: string }).code ?? 'unknown'}`;
  }
}

describe('rotating a versioned bucket', () => {
  it('counts the versions it replaced, which keep the old wrapping', async () => {
    await writeWith(from, bucket, 'keep/meta', 'meta value');
    await writeWith(from, bucket, 'keep/ins', 'ins value', { instructionFile: true });
    const [before] = (await versionsOf('keep/meta')).filter((v) => v.key === 'keep/meta');
    const report = await rewrapBucket({ client, bucket, prefix: 'keep/', from, to });
    expect(report).toMatchObject({ migrated: 2, oldKeyVersions: 2, complete: true });
    expect(report.oldKeyVersionsDeleted).toBeUndefined();
    // The replaced version of the metadata-mode object is still there, under the old key only.
    expect(await versionWith(from, 'keep/meta', before!.versionId)).toBe('meta value');
    expect(await versionWith(to, 'keep/meta', before!.versionId)).toMatch(/^error:/);
    expect((await versionsOf('keep/')).filter((v) => !v.latest).map((v) => v.key).sort()).toEqual(['keep/ins.instruction', 'keep/meta']);
    expect(await readWith(to, bucket, 'keep/ins')).toBe('ins value');
  });

  it('deleteReplacedVersions removes exactly the replaced versions, never older versions of the application', async () => {
    await writeWith(from, bucket, 'drop/meta', 'first');
    await writeWith(from, bucket, 'drop/meta', 'second');
    await writeWith(from, bucket, 'drop/ins', 'ins value', { instructionFile: true });
    const report = await rewrapBucket({ client, bucket, prefix: 'drop/', from, to, deleteReplacedVersions: true });
    expect(report).toMatchObject({ migrated: 2, oldKeyVersions: 2, oldKeyVersionsDeleted: 2, errors: [], complete: true });
    const versions = await versionsOf('drop/');
    // Left: the current versions, and the application's own older version ('first'), which the rotation did not replace.
    expect(versions.filter((v) => v.latest).map((v) => v.key).sort()).toEqual(['drop/ins', 'drop/ins.instruction', 'drop/meta']);
    const older = versions.filter((v) => !v.latest);
    expect(older).toHaveLength(1);
    expect(await versionWith(from, 'drop/meta', older[0]!.versionId)).toBe('first');
    expect(await readWith(to, bucket, 'drop/meta')).toBe('second');
    expect(await readWith(from, bucket, 'drop/meta')).toMatch(/^error:/);
  });
});
