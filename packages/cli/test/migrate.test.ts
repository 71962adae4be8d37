import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteItemCommand, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { decryptItem } from '@phiseal/dynamodb';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, createTable, dynamoClient, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const LETTERS = 'bcdfghjklmnpqrstvwxz';
const name = (i: number): string => `rec-${LETTERS[Math.floor(i / 20) % 20]}${LETTERS[i % 20]}${LETTERS[Math.floor(i / 400) % 20]}`;

describe('phiseal migrate', () => {
  it('dynamodb: 2 worker processes, a checkpoint and a JSON report; exit 0; a second run skips everything', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'dev.key');
    LocalKeyProvider.generateFile(keyFile);
    const tableName = await createTable({ partitionKey: 'pk' }, 'climig');
    const ddb = dynamoClient();
    const items: Record<string, AttributeValue>[] = Array.from({ length: 75 }, (_, i) => ({ pk: { S: name(i) }, note: { S: `note ${i}` } }));
    for (let i = 0; i < items.length; i += 25) {
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const reportFile = join(dir, 'report.json');
    const args = ['migrate', 'dynamodb', '--table', tableName, '--key-file', keyFile, '--workers', '2', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile];
    const first = await cli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ migrated: 75, skipped: 0, failed: 0, refused: 0, complete: true });
    const envelope = createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) });
    const stored = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: name(3) } } }));
    expect(await decryptItem(stored.Item!, { tableName, partitionKey: 'pk', envelope })).toEqual(items[3]);
    const again = await cli(['migrate', 'dynamodb', '--table', tableName, '--key-file', keyFile, '--report-json', reportFile]);
    expect(again.code).toBe(0);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({ migrated: 0, skipped: 75 });
  }, 120_000);

  it('s3: exit 1 when some objects are refused, with ids and codes but no key in the output', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'dev.key');
    LocalKeyProvider.generateFile(keyFile);
    const bucket = await createBucket();
    const s3 = s3Client();
    for (let i = 0; i < 30; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `docs/${name(i)}`, Body: `doc ${i}` }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/jane.doe@example.com', Body: 'x' }));
    const out = await cli(['migrate', 's3', '--bucket', bucket, '--key-file', keyFile, '--workers', '2', '-c', 'dataset=docs']);
    expect(out.code).toBe(1);
    const text = out.stdout.toString();
    expect(text).toContain('migrated 30');
    expect(text).toContain('PHI_DETECTED');
    expect(text).not.toContain('jane');
    const reader = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) }) });
    const got = await reader.getObject({ Bucket: bucket, Key: `docs/${name(7)}`, context: { dataset: 'docs' } });
    expect(await got.Body.transformToString()).toBe('doc 7');
    const raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/jane.doe@example.com' }));
    expect(await raw.Body!.transformToString()).toBe('x');
  }, 120_000);

  it('usage errors exit 2', async () => {
    expect((await cli(['migrate', 'mysql'])).code).toBe(2);
    expect((await cli(['migrate', 's3', '--bucket', 'b', '--table', 't', '--key-file', 'k'])).code).toBe(2);
    expect((await cli(['migrate', 's3', '--bucket', 'b'])).code).toBe(2);
  });
});
