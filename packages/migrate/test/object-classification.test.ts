// What the S3 migration takes for plaintext, and what it costs in requests: an object is
// plaintext only with none of the S3 Encryption Client's metadata AND no instruction file
// (@phiseal/s3 objectState); a listing may prove the instruction file absent, a manifest never.
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { encryptedS3 } from '@phiseal/s3';
import { awsClientConfig, createBucket, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { createDistributedMapHandler, migrateBucket, migrateObject, migrateObjects } from '@phiseal/migrate';
import { localEnvelope } from './helpers.js';

const envelope = localEnvelope();
const config = { envelope };
const client = s3Client();
const reader = encryptedS3({ client: s3Client(), envelope, commitmentPolicy: 'require-encrypt-allow-decrypt' });
// V2 in instruction-file mode: the object itself carries no S3EC metadata at all.
const v2 = encryptedS3({ client: s3Client(), envelope, format: 'v2', instructionFile: true });
const v3 = encryptedS3({ client: s3Client(), envelope, instructionFile: true });

/** Commands a client sends, by name (a middleware on the real client: nothing is mocked). */
function countCommands(c: S3Client): Record<string, number> {
  const counts: Record<string, number> = {};
  c.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'migrateTestCounter' },
  );
  return counts;
}

const rawBody = async (bucket: string, key: string): Promise<string> =>
  Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray()).toString('hex');

/**
 * Under `p`: an instruction-file object (`a`, with `a.instruction` three keys further, behind
 * `a-1` and `a-2`), plaintext `a-1`, `a-2`, `b`, and `c` whose S3EC metadata is partial.
 */
async function layout(bucket: string, p: string): Promise<void> {
  await v2.putObject({ Bucket: bucket, Key: `${p}a`, Body: 'instruction-file object' });
  for (const key of ['a-1', 'a-2', 'b']) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${p}${key}`, Body: `body of ${key}` }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${p}c`, Body: 'half', Metadata: { 'x-amz-c': '115' } }));
}

describe('S3 record classification in the migration', () => {
  it('never takes an object with an instruction file for plaintext, whatever the listing pages', async () => {
    const bucket = await createBucket();
    for (const [p, batchSize] of [['one/', 1], ['two/', 2], ['all/', 1000]] as const) {
      await layout(bucket, p);
      const before = await rawBody(bucket, `${p}a`);
      const report = await migrateBucket({ client, bucket, prefix: p, config, batchSize });
      expect(report).toMatchObject({ migrated: 3, skipped: 2, failed: 1, complete: true });
      expect(report.errors.map((e) => e.code)).toEqual(['DECRYPTION_FAILED']);
      expect(await rawBody(bucket, `${p}a`)).toBe(before);
      const out = await reader.getObject({ Bucket: bucket, Key: `${p}a` });
      expect(await out.Body.transformToString()).toBe('instruction-file object');
      expect(await rawBody(bucket, `${p}c`)).toBe(Buffer.from('half').toString('hex'));
    }
  });

  it('looks the instruction file up when the listing ETag is not the one read, and for a single object', async () => {
    const bucket = await createBucket();
    await layout(bucket, 'x/');
    const report = await migrateObjects({ client, bucket, keys: ['x/a', 'x/b'], config, listedWithoutInstructionFile: ['"0123456789abcdef0123456789abcdef"', undefined] });
    expect(report).toMatchObject({ migrated: 1, skipped: 1, failed: 0 });
    expect(await migrateObject({ client, bucket, key: 'x/a', config })).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED' });
    expect(await migrateObject({ client, bucket, key: 'x/a.instruction', config })).toMatchObject({ outcome: 'skipped', code: 'INSTRUCTION_FILE' });
  });

  it('refuses a V3 instruction-file object whose own metadata was stripped (never plaintext)', async () => {
    const bucket = await createBucket();
    await v3.putObject({ Bucket: bucket, Key: 's/a', Body: 'secret' });
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: 's/a', CopySource: `${bucket}/s/a`, MetadataDirective: 'REPLACE', Metadata: {} }));
    const before = await rawBody(bucket, 's/a');
    expect(await migrateObject({ client, bucket, key: 's/a', config })).toMatchObject({ outcome: 'failed', code: 'DECRYPTION_FAILED' });
    expect((await migrateBucket({ client, bucket, config })).errors.map((e) => e.code)).toEqual(['DECRYPTION_FAILED']);
    expect(await rawBody(bucket, 's/a')).toBe(before);
  });

  it('costs a listed plaintext object one GetObject and one conditional PutObject (GetObjectTagging only when tagged)', async () => {
    const bucket = await createBucket();
    const counted = s3Client();
    const counts = countCommands(counted);
    for (let i = 0; i < 6; i++) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/${'bcdfgh'[i]}`, Body: 'x', ...(i === 0 ? { Tagging: 'team=lab' } : {}) }));
    const report = await migrateBucket({ client: counted, bucket, config, batchSize: 4 });
    expect(report).toMatchObject({ migrated: 6, complete: true });
    expect(counts).toMatchObject({ GetObjectCommand: 6, PutObjectCommand: 6, GetObjectTaggingCommand: 1 });
    expect(counts['HeadObjectCommand']).toBeUndefined();
    // Without a listing (a single object, a Batch Operations task): one instruction-file lookup
    // more, a HeadObject of `<key>.instruction` (404).
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'q/one', Body: 'x' }));
    for (const key of Object.keys(counts)) delete counts[key];
    expect(await migrateObject({ client: counted, bucket, key: 'q/one', config })).toMatchObject({ outcome: 'migrated' });
    expect(counts).toEqual({ GetObjectCommand: 1, HeadObjectCommand: 1, PutObjectCommand: 1 });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'q/one' }));
    expect(head.Metadata?.['x-amz-3']).toBeDefined();
    // A dry run reads no body: HeadObject, and the instruction-file lookup.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'q/two', Body: 'x' }));
    for (const key of Object.keys(counts)) delete counts[key];
    expect(await migrateObject({ client: counted, bucket, key: 'q/two', config, dryRun: true })).toMatchObject({ outcome: 'migrated' });
    expect(counts).toEqual({ HeadObjectCommand: 2 });
  });

  it('proves instruction files absent for manifest rows and Distributed Map items with one live listing of their range', async () => {
    const bucket = await createBucket();
    await layout(bucket, 'm/');
    const rows = ['a', 'a.instruction', 'a-1', 'a-2', 'b', 'c'].map((k) => `${bucket},m/${encodeURIComponent(k)}`).join('\n');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifests/m.csv', Body: rows }));
    const before = await rawBody(bucket, 'm/a');
    const counted = s3Client();
    const counts = countCommands(counted);
    const report = await migrateBucket({ client: counted, bucket, manifest: `s3://${bucket}/manifests/m.csv`, config });
    expect(report).toMatchObject({ migrated: 3, skipped: 2, failed: 1, complete: true });
    expect(report.errors.map((e) => e.code)).toEqual(['DECRYPTION_FAILED']);
    // One listing for the six rows; a lookup (HEAD, then the file's body) only for `m/a`, whose instruction file was listed.
    expect(counts).toMatchObject({ ListObjectsV2Command: 1, HeadObjectCommand: 1, PutObjectCommand: 3 });
    expect(await rawBody(bucket, 'm/a')).toBe(before);
    expect(await (await reader.getObject({ Bucket: bucket, Key: 'm/a' })).Body.transformToString()).toBe('instruction-file object');

    await layout(bucket, 'd/');
    for (const key of Object.keys(counts)) delete counts[key];
    const handler = createDistributedMapHandler({ s3: { client: counted, buckets: { [bucket]: config } } });
    const items = ['a', 'a.instruction', 'a-1', 'a-2', 'b', 'c'].map((k) => ({ Key: `d/${k}` }));
    const out = await handler({ Items: items, BatchInput: { bucket } });
    expect(out.results.map((r) => r.reason)).toEqual(['already-encrypted', 'skipped-instruction-file', 'migrated', 'migrated', 'migrated', 'decryption-failed']);
    expect(counts).toMatchObject({ ListObjectsV2Command: 1, HeadObjectCommand: 1, PutObjectCommand: 3 });
    expect(await (await reader.getObject({ Bucket: bucket, Key: 'd/a' })).Body.transformToString()).toBe('instruction-file object');
  });

  it('sends no listing bound derived from a key the guard refuses', async () => {
    const bucket = await createBucket();
    const counted = s3Client();
    const counts = countCommands(counted);
    const handler = createDistributedMapHandler({ s3: { client: counted, buckets: { [bucket]: config } } });
    const out = await handler({ Items: [{ Key: 'ssn/123-45-6789' }], BatchInput: { bucket } });
    expect(out.results.map((r) => r.reason)).toEqual(['phi-detected']);
    expect(counts).toEqual({});
  });

  it('classifies an archived object from its headers: skipped when encrypted, failed (InvalidObjectState) when plaintext', async () => {
    const bucket = await createBucket();
    await reader.putObject({ Bucket: bucket, Key: 'cold/enc', Body: 'sealed', StorageClass: 'GLACIER' });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'cold/plain', Body: 'plain', StorageClass: 'GLACIER' }));
    expect(await migrateObject({ client, bucket, key: 'cold/enc', config })).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED' });
    expect(await migrateObject({ client, bucket, key: 'cold/plain', config })).toMatchObject({ outcome: 'failed', code: 'InvalidObjectState', retryable: false });
  });

  it('lets go of the body of an object it skips, large or small, and goes on over the same connections', async () => {
    const bucket = await createBucket();
    const big = 'b'.repeat(256 * 1024);
    const single = new S3Client({ ...awsClientConfig(), forcePathStyle: true, requestHandler: { httpsAgent: { maxSockets: 1 }, httpAgent: { maxSockets: 1 } } });
    for (let i = 0; i < 4; i++) await reader.putObject({ Bucket: bucket, Key: `done/${'bcdf'[i]}`, Body: i % 2 === 0 ? big : 'small' });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'done/z', Body: 'plain' }));
    const report = await migrateObjects({ client: single, bucket, keys: ['done/b', 'done/c', 'done/d', 'done/f', 'done/z'], config, bufferBytes: 1024, concurrency: 2 });
    expect(report).toMatchObject({ skipped: 4, migrated: 1, failed: 0 });
    // (A body left unread would hold the client's only socket: the batch would hang past the timeout.)
  }, 20_000);
});
