// `--max-kms-calls` with `--workers`: each worker process has its own envelope, so the parent
// must hold the budget for the run. Real KMS on the emulator: every DynamoDB item's encryption
// context names its key, so each item costs a GenerateDataKey (the data-key cache cannot help).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { decryptItem } from '@phiseal/dynamodb';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, createKmsKey, createTable, dynamoClient, kmsClient, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const ITEMS = 90;
const CONCURRENCY = 2;
const LETTERS = 'bcdfghjklmnpqrstvwxz';
const name = (i: number): string => `rec-${LETTERS[Math.floor(i / 20) % 20]}${LETTERS[i % 20]}`;

type Report = { migrated: number; skipped: number; refused: number; failed: number; complete: boolean; stopped?: string; kmsCalls?: number };

async function plaintextTable(): Promise<{ tableName: string; items: Record<string, AttributeValue>[] }> {
  const tableName = await createTable({ partitionKey: 'pk' }, 'clibudget');
  const items: Record<string, AttributeValue>[] = Array.from({ length: ITEMS }, (_, i) => ({ pk: { S: name(i) }, note: { S: `note ${i}` } }));
  for (let i = 0; i < items.length; i += 25) {
    await dynamoClient().send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return { tableName, items };
}

describe('phiseal migrate --max-kms-calls with worker processes', () => {
  for (const [workers, budget] of [
    [2, 20],
    [4, 30],
  ] as const) {
    it(`--workers ${workers}: the run stops within the budget (all workers counted), exit 75, and a resumed run completes`, async () => {
      const dir = tempDir();
      const keyId = await createKmsKey('migrate budget');
      const { tableName, items } = await plaintextTable();
      const reportFile = join(dir, 'report.json');
      const checkpoint = join(dir, 'ckpt');
      const base = ['migrate', 'dynamodb', '--table', tableName, '--kms-key-id', keyId, '--workers', String(workers), '--concurrency', String(CONCURRENCY), '--checkpoint', checkpoint, '--report-json', reportFile];

      const first = await cli([...base, '--max-kms-calls', String(budget)]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(75);
      const stopped = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
      expect(stopped).toMatchObject({ complete: false, stopped: 'kms-budget', failed: 0, refused: 0 });
      // The documented bound: the budget, plus the records in flight in each worker when the stop
      // reaches it (--concurrency each, one GenerateDataKey per plaintext item, none retried here).
      expect(stopped.kmsCalls).toBeGreaterThanOrEqual(budget);
      expect(stopped.kmsCalls).toBeLessThanOrEqual(budget + workers * CONCURRENCY);
      // Without the shared budget every worker spent a budget of its own, or the run never stopped.
      expect(stopped.migrated).toBeLessThan(ITEMS);
      expect(stopped.migrated).toBeLessThanOrEqual(stopped.kmsCalls ?? 0);
      expect(first.stdout.toString()).toContain(`KMS calls: ${stopped.kmsCalls}`);

      const resumed = await cli(base);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const done = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
      expect(done).toMatchObject({ complete: true, failed: 0, refused: 0 });
      // Cut-short pages are counted by the run that did them and then skipped as encrypted: none is migrated twice.
      expect(stopped.migrated + done.migrated).toBe(ITEMS);

      const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) });
      const stored = (await dynamoClient().send(new ScanCommand({ TableName: tableName }))).Items ?? [];
      expect(stored).toHaveLength(ITEMS);
      const plain = await Promise.all(stored.map((item) => decryptItem(item, { tableName, partitionKey: 'pk', envelope })));
      const byKey = new Map(items.map((item) => [item['pk']?.S, item]));
      for (const item of plain) expect(item).toEqual(byKey.get(item['pk']?.S));
    }, 180_000);
  }

  it('s3 --workers 2: batches cut short by the budget do not move the checkpoint; the resumed run completes', async () => {
    const dir = tempDir();
    const keyId = await createKmsKey('migrate budget s3');
    const bucket = await createBucket();
    const s3 = s3Client();
    for (let i = 0; i < 40; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `docs/${name(i)}`, Body: `doc ${i}` }));
    const reportFile = join(dir, 'report.json');
    // One context for the whole bucket: each worker's cache needs one GenerateDataKey, so a budget of 1 is spent at once.
    const base = ['migrate', 's3', '--bucket', bucket, '--kms-key-id', keyId, '--workers', '2', '--concurrency', String(CONCURRENCY), '--batch-size', '5', '--checkpoint', join(dir, 'ckpt'), '--report-json', reportFile, '-c', 'dataset=docs'];
    const first = await cli([...base, '--max-kms-calls', '1']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(75);
    const stopped = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(stopped).toMatchObject({ complete: false, stopped: 'kms-budget', failed: 0 });
    expect(stopped.kmsCalls).toBeGreaterThanOrEqual(1);
    expect(stopped.kmsCalls).toBeLessThanOrEqual(1 + 2 * CONCURRENCY);
    expect(stopped.migrated + stopped.skipped).toBeLessThan(40);
    const resumed = await cli(base);
    expect(resumed.code).toBe(0);
    const done = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(done).toMatchObject({ complete: true, failed: 0, refused: 0 });
    // What the cut batches did is counted by the first run and skipped by the second.
    expect(stopped.migrated + done.migrated).toBe(40);
    const reader = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) }) });
    for (const i of [0, 13, 39]) {
      const got = await reader.getObject({ Bucket: bucket, Key: `docs/${name(i)}`, context: { dataset: 'docs' } });
      expect(await got.Body.transformToString()).toBe(`doc ${i}`);
    }
  }, 180_000);
});
