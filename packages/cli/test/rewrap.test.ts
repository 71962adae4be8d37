import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, PhisealError } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, createKmsKey, createTable, dynamoClient, kmsClient, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const LETTERS = 'bcdfghjklmnpqrstvwxz';
const name = (i: number): string => `rec-${LETTERS[Math.floor(i / 20) % 20]}${LETTERS[i % 20]}`;
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : 'not-a-phiseal-error'),
  );

function keyFiles(count: number): string[] {
  const dir = tempDir();
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `key-${i}.key`);
    LocalKeyProvider.generateFile(file);
    return file;
  });
}

const table = (tableName: string, keyFile: string): TableConfig => ({ tableName, partitionKey: 'pk', envelope: createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) }) });

describe('phiseal rewrap', () => {
  it('dynamodb: 2 workers, a checkpoint and a JSON report; the new key reads every item, the old one none; exit 1 for an item under neither key', async () => {
    const [oldKey, newKey, otherKey] = keyFiles(3);
    const tableName = await createTable({ partitionKey: 'pk' }, 'clirewrap');
    const ddb = dynamoClient();
    const items = Array.from({ length: 40 }, (_, i) => ({ pk: { S: name(i) }, note: { S: `note ${i}` } }));
    for (const item of items) await ddb.send(new PutItemCommand({ TableName: tableName, Item: await encryptItem(item, table(tableName, oldKey!)) }));
    await ddb.send(new PutItemCommand({ TableName: tableName, Item: await encryptItem({ pk: { S: 'rec-zzz' }, note: { S: 'x' } }, table(tableName, otherKey!)) }));
    const dir = tempDir();
    const reportFile = join(dir, 'report.json');
    const args = ['rewrap', 'dynamodb', '--table', tableName, '--from-key-file', oldKey!, '--to-key-file', newKey!, '--workers', '2', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile];
    const first = await cli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    expect(first.stdout.toString()).toContain('re-keyed 40');
    expect(first.stdout.toString()).toContain('KEY_NOT_ALLOWED');
    expect(first.stdout.toString()).not.toContain('rec-');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ migrated: 40, skipped: 0, failed: 1, refused: 0, complete: true });
    for (const i of [0, 17, 39]) {
      const stored = (await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: name(i) } }, ConsistentRead: true }))).Item!;
      expect(await decryptItem(stored, table(tableName, newKey!))).toEqual(items[i]);
      expect(await codeOf(decryptItem(stored, table(tableName, oldKey!)))).toBe('KEY_NOT_ALLOWED');
    }
    // In one process, without a checkpoint: everything is under the new key already.
    const again = await cli(['rewrap', 'dynamodb', '--table', tableName, '--from-key-file', oldKey!, '--to-key-file', newKey!, '--report-json', reportFile]);
    expect(again.code).toBe(1);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ migrated: 0, skipped: 40, failed: 1 });
  }, 120_000);

  it('s3: re-keys the objects under a prefix (exit 0); a dry run first writes nothing', async () => {
    const [oldKey, newKey] = keyFiles(2);
    const bucket = await createBucket();
    const writer = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: LocalKeyProvider.fromFile(oldKey!) }) });
    for (let i = 0; i < 6; i++) await writer.putObject({ Bucket: bucket, Key: `docs/${name(i)}`, Body: `doc ${i}`, context: { dataset: 'docs' } });
    const keys = ['--from-key-file', oldKey!, '--to-key-file', newKey!];
    const dry = await cli(['rewrap', 's3', '--bucket', bucket, '--prefix', 'docs/', ...keys, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.toString()).toContain('dry run: would re-key 6');
    const reader = (keyFile: string) => encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) }) });
    expect(await (await reader(oldKey!).getObject({ Bucket: bucket, Key: `docs/${name(2)}`, context: { dataset: 'docs' } })).Body.transformToString()).toBe('doc 2');
    const out = await cli(['rewrap', 's3', '--bucket', bucket, '--prefix', 'docs/', ...keys]);
    expect(out.code).toBe(0);
    expect(out.stdout.toString()).toContain('re-keyed 6');
    expect(await (await reader(newKey!).getObject({ Bucket: bucket, Key: `docs/${name(2)}`, context: { dataset: 'docs' } })).Body.transformToString()).toBe('doc 2');
    expect(await codeOf(reader(oldKey!).getObject({ Bucket: bucket, Key: `docs/${name(2)}`, context: { dataset: 'docs' } }))).toBe('KEY_NOT_ALLOWED');
  }, 120_000);

  it('dynamodb: --max-kms-calls holds across 2 workers (two KMS calls per item), exit 75, and the resumed run completes', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('cli rewrap old'), createKmsKey('cli rewrap new')]);
    const tableName = await createTable({ partitionKey: 'pk' }, 'clirewrapkms');
    const ddb = dynamoClient();
    const config = (keyId: string): TableConfig => ({ tableName, partitionKey: 'pk', envelope: createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) }) });
    const items = Array.from({ length: 30 }, (_, i) => ({ pk: { S: name(i) }, note: { S: `note ${i}` } }));
    for (const item of items) await ddb.send(new PutItemCommand({ TableName: tableName, Item: await encryptItem(item, config(oldArn)) }));
    const dir = tempDir();
    const reportFile = join(dir, 'report.json');
    const base = ['rewrap', 'dynamodb', '--table', tableName, '--from-kms-key-id', oldArn, '--to-kms-key-id', newArn, '--workers', '2', '--concurrency', '2', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile];
    const first = await cli([...base, '--max-kms-calls', '20']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(75);
    const stopped = JSON.parse(await readFile(reportFile, 'utf8')) as { migrated: number; complete: boolean; stopped?: string; kmsCalls?: number };
    expect(stopped).toMatchObject({ complete: false, stopped: 'kms-budget' });
    // The budget plus what the records in flight need (2 workers x 2 items x 2 calls).
    expect(stopped.kmsCalls).toBeGreaterThanOrEqual(20);
    expect(stopped.kmsCalls).toBeLessThanOrEqual(20 + 8);
    expect(stopped.migrated).toBeLessThan(30);
    const resumed = await cli(base);
    expect(resumed.code).toBe(0);
    const done = JSON.parse(await readFile(reportFile, 'utf8')) as { migrated: number; skipped: number };
    expect(stopped.migrated + done.migrated).toBe(30);
    const stored = (await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: name(29) } }, ConsistentRead: true }))).Item!;
    expect(await decryptItem(stored, config(newArn))).toEqual(items[29]);
  }, 120_000);

  it('usage errors exit 2', async () => {
    const [a, b] = keyFiles(2);
    expect((await cli(['rewrap', 'mysql'])).code).toBe(2);
    expect((await cli(['rewrap', 's3', '--bucket', 'b', '--from-key-file', a!])).code).toBe(2);
    expect((await cli(['rewrap', 's3', '--bucket', 'b', '--to-key-file', b!])).code).toBe(2);
    expect((await cli(['rewrap', 's3', '--bucket', 'b', '--from-key-file', a!, '--from-kms-key-id', 'alias/x', '--to-key-file', b!])).code).toBe(2);
    expect((await cli(['rewrap', 's3', '--bucket', 'b', '--from-key-file', a!, '--to-key-file', b!, '--table', 't'])).code).toBe(2);
    expect((await cli(['rewrap', 'dynamodb', '--from-key-file', a!, '--to-key-file', b!])).code).toBe(2);
    // The same key on both sides: nothing to re-key.
    expect((await cli(['rewrap', 's3', '--bucket', await createBucket(), '--from-key-file', a!, '--to-key-file', a!])).code).toBe(2);
  }, 60_000);
});
