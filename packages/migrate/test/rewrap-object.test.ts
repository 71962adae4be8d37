import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { rewrapBucket } from '@phiseal/migrate';
import { createBucket, rejection, s3Client, scratchDir } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRotation } from '../src/internal/key-rotation.js';
import { rewrapStoredObject, type RewrapRun } from '../src/internal/object-rewrap.js';
import { counted, localKeys, rawObject, readWith, writeWith } from './rewrap-support.js';

const client = s3Client();
const from = localKeys('old-key');
const to = localKeys('new-key');

let bucket: string;
const dir = scratchDir('rewrap');
beforeAll(async () => {
  bucket = await createBucket();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(beforeWrite: () => Promise<void>): RewrapRun {
  let writes = 0;
  return {
    client, bucket, rotation: keyRotation(from, to), dryRun: false, maxConflictRetries: 5,
    beforeWrite: async () => {
      if (writes++ === 0) await beforeWrite();
    },
  };
}

describe('a write by the application between the read and the rewrite wins', () => {
  it('the emulator honours CopyObject conditions on the source and the destination', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'a' }));
    const stale = '"0123456789abcdef0123456789abcdef"';
    const copy = (extra: Record<string, string>) => client.send(new CopyObjectCommand({ Bucket: bucket, Key: 'cond/a', CopySource: `${bucket}/cond/a`, MetadataDirective: 'REPLACE', ...extra }));
    expect(await rejection(copy({ CopySourceIfMatch: stale }))).toMatchObject({ name: 'PreconditionFailed' });
    expect(await rejection(copy({ IfMatch: stale }))).toMatchObject({ name: 'PreconditionFailed' });
  });

  it('metadata mode: the object the application wrote is rotated, its value kept', async () => {
    await writeWith(from, bucket, 'race/meta', 'v1');
    const out = await rewrapStoredObject(run(() => writeWith(from, bucket, 'race/meta', 'v2')), 'race/meta', 'x');
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await readWith(to, bucket, 'race/meta')).toBe('v2');
  });

  it('metadata mode: a plaintext write by the application is kept and skipped', async () => {
    await writeWith(from, bucket, 'race/plain', 'v1');
    const out = await rewrapStoredObject(run(async () => void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'race/plain', Body: 'v2' })))), 'race/plain', 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'PLAINTEXT', conflictsRetried: 1 });
    expect((await rawObject(client, bucket, 'race/plain')).body.toString()).toBe('v2');
  });

  it('instruction-file mode: a new instruction file written meanwhile is not overwritten', async () => {
    await writeWith(from, bucket, 'race/ins', 'v1', { instructionFile: true });
    const out = await rewrapStoredObject(run(() => writeWith(from, bucket, 'race/ins', 'v2', { instructionFile: true })), 'race/ins', 'x');
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await readWith(to, bucket, 'race/ins')).toBe('v2');
  });

  it('an object deleted meanwhile is skipped as gone', async () => {
    await writeWith(from, bucket, 'race/gone', 'v1');
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await rewrapStoredObject(run(async () => void (await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'race/gone' })))), 'race/gone', 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'GONE' });
  });

  it('still changing after the retries: failed CONFLICT, retryable, the object left as the application wrote it', async () => {
    await writeWith(from, bucket, 'race/busy', 'v0');
    let n = 0;
    const busy: RewrapRun = { client, bucket, rotation: keyRotation(from, to), dryRun: false, maxConflictRetries: 2, beforeWrite: () => writeWith(from, bucket, 'race/busy', `v${++n}`) };
    expect(await rewrapStoredObject(busy, 'race/busy', 'x')).toMatchObject({ outcome: 'failed', code: 'CONFLICT', retryable: true, conflictsRetried: 2 });
    expect(await readWith(from, bucket, 'race/busy')).toBe(`v${n}`);
  });
});

describe('resuming', () => {
  it('stops on a signal, resumes from the checkpoint, and counts only its own work', async () => {
    for (let i = 0; i < 6; i++) await writeWith(from, bucket, `resume/${i}`, `value ${i}`);
    const checkpoint = join(dir, 'resume.ckpt');
    const stop = new AbortController();
    const observed = counted(to, (n) => n === 3 && stop.abort());
    const first = await rewrapBucket({ client, bucket, prefix: 'resume/', from, to: observed, checkpoint, batchSize: 2, concurrency: 1, signal: stop.signal });
    expect(first).toMatchObject({ migrated: 3, complete: false, stopped: 'interrupted' });
    expect(first.resumedFrom).toBeUndefined();
    const second = await rewrapBucket({ client, bucket, prefix: 'resume/', from, to, checkpoint, batchSize: 2, concurrency: 1 });
    // The third object was done in the unfinished page: found under the new key, skipped.
    expect(second).toMatchObject({ migrated: 3, skipped: 1, failed: 0, complete: true, resumedFrom: checkpoint });
    for (let i = 0; i < 6; i++) expect(await readWith(to, bucket, `resume/${i}`)).toBe(`value ${i}`);
    const third = await rewrapBucket({ client, bucket, prefix: 'resume/', from, to, checkpoint });
    expect(third).toMatchObject({ migrated: 0, skipped: 0, complete: true });
    // The checkpoint is bound to its bucket, prefix and key pair.
    await expect(rewrapBucket({ client, bucket, prefix: 'other/', from, to, checkpoint })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('stops at the KMS budget, resumably, and reads keys from a Batch Operations CSV manifest', async () => {
    for (let i = 0; i < 4; i++) await writeWith(from, bucket, `budget/${i}`, `b${i}`);
    const checkpoint = join(dir, 'budget.ckpt');
    // One unwrap with from and one wrap with to per object: the budget covers one object.
    const first = await rewrapBucket({ client, bucket, prefix: 'budget/', from, to, checkpoint, concurrency: 1, batchSize: 2, maxKmsCalls: 2 });
    expect(first).toMatchObject({ migrated: 1, complete: false, stopped: 'kms-budget' });
    const second = await rewrapBucket({ client, bucket, prefix: 'budget/', from, to, checkpoint, concurrency: 1, batchSize: 2 });
    expect(second).toMatchObject({ migrated: 3, skipped: 1, complete: true });
    await expect(rewrapBucket({ client, bucket, prefix: 'budget/', from, to, maxKmsCalls: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    for (let i = 0; i < 3; i++) await writeWith(from, bucket, `listed/${i} x`, `m${i}`);
    const manifest = join(dir, 'manifest.csv');
    writeFileSync(manifest, `${bucket},listed/0+x\n${bucket},listed/2+x\n`);
    const listed = await rewrapBucket({ client, bucket, manifest, from, to });
    expect(listed).toMatchObject({ migrated: 2, skipped: 0, failed: 0, complete: true });
    expect(await readWith(to, bucket, 'listed/0 x')).toBe('m0');
    expect(await readWith(to, bucket, 'listed/2 x')).toBe('m2');
    expect(await readWith(from, bucket, 'listed/1 x')).toBe('m1');
    await expect(rewrapBucket({ client, bucket, manifest, prefix: 'listed/', from, to })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rotates each distinct wrapped key once when objects share a data key', async () => {
    const { createEnvelope } = await import('@phiseal/core');
    const { encryptedS3 } = await import('@phiseal/s3');
    const shared = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: from }) });
    for (let i = 0; i < 4; i++) await shared.putObject({ Bucket: bucket, Key: `shared/${i}`, Body: `s${i}`, context: { dataset: 'labs' } });
    const observed = counted(to);
    expect(await rewrapBucket({ client, bucket, prefix: 'shared/', from, to: observed, concurrency: 1 })).toMatchObject({ migrated: 4, complete: true });
    expect(observed.wraps()).toBe(1);
    for (let i = 0; i < 4; i++) expect(await readWith(to, bucket, `shared/${i}`)).toBe(`s${i}`);
  });
});
