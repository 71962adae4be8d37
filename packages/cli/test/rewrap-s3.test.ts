// `phiseal rewrap s3` options that only S3 has: --delete-replaced-versions (versioned buckets), and
// --max-kms-calls with real KMS keys on the emulator, in one process and across --workers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectVersionsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, type KeyProvider } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

type Report = { migrated: number; skipped: number; failed: number; complete: boolean; stopped?: string; kmsCalls?: number; oldKeyVersions?: number; oldKeyVersionsDeleted?: number };

const context = { dataset: 'docs' };
const s3With = (keys: KeyProvider) => encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys, cache: false }) });

/** The plaintext of one object (or one version), or the failure's code. */
async function readWith(keys: KeyProvider, bucket: string, key: string, versionId?: string): Promise<string> {
  try {
    const out = await s3With(keys).getObject({ Bucket: bucket, Key: key, context, ...(versionId === undefined ? {} : { VersionId: versionId }) });
    return await out.Body.transformToString();
  } catch (error) {
    return `error:${(error as { code?: string }).code ?? 'unknown'}`;
  }
}

async function noncurrent(bucket: string): Promise<{ key: string; versionId: string }[]> {
  const out = await s3Client().send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return (out.Versions ?? []).filter((v) => v.IsLatest !== true).map((v) => ({ key: v.Key!, versionId: v.VersionId! }));
}

/** A versioned bucket with `count` objects written under `oldKey` (metadata mode). */
async function versionedBucket(oldKey: KeyProvider, count: number): Promise<string> {
  const bucket = await createBucket();
  await s3Client().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  for (let i = 0; i < count; i++) await s3With(oldKey).putObject({ Bucket: bucket, Key: `docs/doc-${i}`, Body: `doc ${i}`, context });
  return bucket;
}

function keyFiles(): [string, string] {
  const dir = tempDir();
  const files = [join(dir, 'old.key'), join(dir, 'new.key')] as const;
  for (const f of files) LocalKeyProvider.generateFile(f);
  return [files[0], files[1]];
}

describe('phiseal rewrap s3', () => {
  it('versioned bucket: without --delete-replaced-versions the replaced versions stay (counted); with it they are deleted (counted)', async () => {
    const [oldFile, newFile] = keyFiles();
    const [oldKey, newKey] = [LocalKeyProvider.fromFile(oldFile), LocalKeyProvider.fromFile(newFile)];
    const reportFile = join(tempDir(), 'report.json');
    const keys = ['--from-key-file', oldFile, '--to-key-file', newFile, '--report-json', reportFile];

    const kept = await versionedBucket(oldKey, 3);
    const first = await cli(['rewrap', 's3', '--bucket', kept, ...keys]);
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toContain('noncurrent versions under the old key: 3 (kept; --delete-replaced-versions removes them)');
    expect(first.stdout.toString()).not.toContain('doc-');
    const keptReport = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(keptReport).toMatchObject({ migrated: 3, oldKeyVersions: 3, complete: true });
    expect(keptReport.oldKeyVersionsDeleted).toBeUndefined();
    const left = await noncurrent(kept);
    expect(left.map((v) => v.key).sort()).toEqual(['docs/doc-0', 'docs/doc-1', 'docs/doc-2']);
    // What stays behind still opens under the old key only: that is why one may want it gone.
    expect(await readWith(oldKey, kept, left[0]!.key, left[0]!.versionId)).toMatch(/^doc \d$/);
    expect(await readWith(newKey, kept, left[0]!.key, left[0]!.versionId)).toBe('error:KEY_NOT_ALLOWED');

    const dropped = await versionedBucket(oldKey, 3);
    const second = await cli(['rewrap', 's3', '--bucket', dropped, ...keys, '--delete-replaced-versions']);
    expect(second.code).toBe(0);
    expect(second.stdout.toString()).toContain('noncurrent versions under the old key: 3, deleted 3');
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ migrated: 3, oldKeyVersions: 3, oldKeyVersionsDeleted: 3, complete: true });
    expect(await noncurrent(dropped)).toEqual([]);
    for (const i of [0, 2]) {
      expect(await readWith(newKey, dropped, `docs/doc-${i}`)).toBe(`doc ${i}`);
      expect(await readWith(oldKey, dropped, `docs/doc-${i}`)).toBe('error:KEY_NOT_ALLOWED');
    }
  }, 120_000);

  it('--max-kms-calls with KMS keys: exit 75 within the budget, then the resumed run completes', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('cli rewrap s3 old'), createKmsKey('cli rewrap s3 new')]);
    const kms = (keyId: string) => new KmsKeyProvider({ keyId, client: kmsClient() });
    const bucket = await createBucket();
    for (let i = 0; i < 12; i++) await s3With(kms(oldArn)).putObject({ Bucket: bucket, Key: `docs/doc-${i}`, Body: `doc ${i}`, context });
    const dir = tempDir();
    const reportFile = join(dir, 'report.json');
    const concurrency = 2;
    const base = ['rewrap', 's3', '--bucket', bucket, '--from-kms-key-id', oldArn, '--to-kms-key-id', newArn, '--concurrency', String(concurrency), '--batch-size', '4', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile];
    const first = await cli([...base, '--max-kms-calls', '6']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(75);
    const stopped = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(stopped).toMatchObject({ complete: false, stopped: 'kms-budget', failed: 0 });
    // The budget plus what the objects in flight need (an unwrap and a wrap each).
    expect(stopped.kmsCalls).toBeGreaterThanOrEqual(6);
    expect(stopped.kmsCalls).toBeLessThanOrEqual(6 + 2 * concurrency);
    expect(stopped.migrated).toBeLessThan(12);
    expect(first.stdout.toString()).toContain('stopped before the end (kms-budget)');
    const resumed = await cli(base);
    expect(resumed.code).toBe(0);
    const done = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(done).toMatchObject({ complete: true, failed: 0 });
    expect(stopped.migrated + done.migrated).toBe(12);
    for (const i of [0, 11]) {
      expect(await readWith(kms(newArn), bucket, `docs/doc-${i}`)).toBe(`doc ${i}`);
      // The old KMS key cannot open it (KMS refuses a ciphertext of another key: KMS_KEY_UNUSABLE).
      expect(await readWith(kms(oldArn), bucket, `docs/doc-${i}`)).toMatch(/^error:/);
    }
  }, 120_000);

  it('--workers 2 with a checkpoint and --delete-replaced-versions: every object re-keyed once, replaced versions deleted', async () => {
    const [oldFile, newFile] = keyFiles();
    const [oldKey, newKey] = [LocalKeyProvider.fromFile(oldFile), LocalKeyProvider.fromFile(newFile)];
    const bucket = await versionedBucket(oldKey, 10);
    const dir = tempDir();
    const reportFile = join(dir, 'report.json');
    const run = await cli(['rewrap', 's3', '--bucket', bucket, '--from-key-file', oldFile, '--to-key-file', newFile, '--workers', '2', '--batch-size', '3', '--checkpoint', join(dir, 'ckpt'), '--delete-replaced-versions', '--report-json', reportFile]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ migrated: 10, skipped: 0, failed: 0, complete: true, oldKeyVersions: 10, oldKeyVersionsDeleted: 10 });
    expect(await noncurrent(bucket)).toEqual([]);
    for (const i of [0, 9]) {
      expect(await readWith(newKey, bucket, `docs/doc-${i}`)).toBe(`doc ${i}`);
      expect(await readWith(oldKey, bucket, `docs/doc-${i}`)).toBe('error:KEY_NOT_ALLOWED');
    }
    // Resumed from a finished checkpoint: nothing left to do.
    const again = await cli(['rewrap', 's3', '--bucket', bucket, '--from-key-file', oldFile, '--to-key-file', newFile, '--workers', '2', '--batch-size', '3', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile]);
    expect(again.code).toBe(0);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ migrated: 0, complete: true });
  }, 120_000);

  it('--max-kms-calls holds across 2 workers with KMS keys: exit 75 within the budget, then the resumed run completes', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('cli rewrap s3 workers old'), createKmsKey('cli rewrap s3 workers new')]);
    const kms = (keyId: string) => new KmsKeyProvider({ keyId, client: kmsClient() });
    const bucket = await createBucket();
    for (let i = 0; i < 16; i++) await s3With(kms(oldArn)).putObject({ Bucket: bucket, Key: `docs/doc-${i}`, Body: `doc ${i}`, context });
    const dir = tempDir();
    const reportFile = join(dir, 'report.json');
    const base = ['rewrap', 's3', '--bucket', bucket, '--from-kms-key-id', oldArn, '--to-kms-key-id', newArn, '--workers', '2', '--concurrency', '2', '--batch-size', '4', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile];
    const first = await cli([...base, '--max-kms-calls', '8']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(75);
    const stopped = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(stopped).toMatchObject({ complete: false, stopped: 'kms-budget', failed: 0 });
    // Every worker's calls count: the budget plus what the objects in flight need (2 workers x 2 objects x an unwrap and a wrap).
    expect(stopped.kmsCalls).toBeGreaterThanOrEqual(8);
    expect(stopped.kmsCalls).toBeLessThanOrEqual(8 + 8);
    expect(stopped.migrated).toBeLessThan(16);
    const resumed = await cli(base);
    expect(resumed.code).toBe(0);
    const done = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(done).toMatchObject({ complete: true, failed: 0 });
    // Objects rotated after the checkpoint by the stopped run are skipped (REWRAPPED), never rotated twice.
    expect(stopped.migrated + done.migrated).toBe(16);
    for (const i of [0, 15]) expect(await readWith(kms(newArn), bucket, `docs/doc-${i}`)).toBe(`doc ${i}`);
  }, 120_000);

  it('--delete-replaced-versions is for s3 only (exit 2)', async () => {
    const [a, b] = keyFiles();
    expect((await cli(['rewrap', 'dynamodb', '--table', 't', '--from-key-file', a, '--to-key-file', b, '--delete-replaced-versions'])).code).toBe(2);
  }, 60_000);
});
