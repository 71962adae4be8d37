import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { decryptItem } from '@phiseal/dynamodb';
import { createKmsKey, kmsClient, scratchDir, uniqueName } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { migrateScanSegment, migrateTable, recordsSeen, type MigrationReport, type SegmentExecutor } from '@phiseal/migrate';
import { freshTable, getItem, keyOf, localEnvelope, plainItem, putItems, rawClient } from './helpers.js';

const client = rawClient();
const scratch = scratchDir('migrate-table');

describe('migrateTable', () => {
  it('migrates a table in parallel segments and counts every item once', async () => {
    const table = await freshTable();
    const items = Array.from({ length: 120 }, (_, i) => plainItem(i));
    await putItems(client, table.tableName, items);
    const seen: number[] = [];
    const report = await migrateTable({ client, table, segments: 4, pageSize: 10, onProgress: (p) => void seen.push(p.done) });
    expect(report).toMatchObject({ migrated: 120, skipped: 0, failed: 0, refused: 0, complete: true });
    expect(seen.at(-1)).toBe(120);
    for (const item of items.slice(0, 10)) expect(await decryptItem((await getItem(client, table.tableName, item['pk']!.S!))!, table)).toEqual(item);
  });

  it('stops on a signal after the pages in flight, and resumes from the sealed checkpoint counting only its own work', async () => {
    const table = await freshTable();
    const items = Array.from({ length: 90 }, (_, i) => plainItem(i));
    items.push({ ...plainItem(500), pk: { S: 'jane.doe@example.com' } });
    await putItems(client, table.tableName, items);
    const checkpoint = join(scratch, 'resume.ckpt');
    const stop = new AbortController();
    const first = await migrateTable({
      client, table, segments: 2, pageSize: 10, checkpoint, signal: stop.signal,
      onProgress: (p) => { if (p.done >= 20) stop.abort(); },
    });
    expect(first).toMatchObject({ complete: false, stopped: 'interrupted' });
    expect(first.resumedFrom).toBeUndefined();
    expect(recordsSeen(first)).toBeLessThan(91);
    // The checkpoint names record keys: sealed, none in the clear.
    const text = await readFile(checkpoint, 'utf8');
    expect(text).not.toContain('jane');
    expect(text).not.toContain(keyOf(0));
    const second = await migrateTable({ client, table, segments: 7, checkpoint });
    expect(second).toMatchObject({ complete: true, resumedFrom: checkpoint });
    expect(second.refused + first.refused).toBe(1);
    // Every item exactly once across the two runs (the interrupted run's pages were all checkpointed).
    expect(recordsSeen(first) + recordsSeen(second)).toBe(91);
    expect(first.migrated + second.migrated).toBe(90);
    const third = await migrateTable({ client, table, checkpoint });
    expect(recordsSeen(third)).toBe(0);
  });

  it('refuses a checkpoint of another table', async () => {
    const a = await freshTable();
    const b = { ...(await freshTable()), envelope: a.envelope };
    const checkpoint = join(scratch, 'other.ckpt');
    await putItems(client, a.tableName, [plainItem(1)]);
    await migrateTable({ client, table: a, checkpoint });
    await expect(migrateTable({ client, table: b, checkpoint })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps the checkpoint in a DynamoDB table when asked', async () => {
    const table = await freshTable();
    const checkpoints = uniqueName('ckpt');
    await client.send(new CreateTableCommand({ TableName: checkpoints, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await putItems(client, table.tableName, Array.from({ length: 30 }, (_, i) => plainItem(i)));
    const stop = new AbortController();
    const first = await migrateTable({ client, table, segments: 1, pageSize: 10, checkpoint: { tableName: checkpoints }, signal: stop.signal, onProgress: () => stop.abort() });
    expect(first.complete).toBe(false);
    const second = await migrateTable({ client, table, checkpoint: { tableName: checkpoints } });
    expect(second).toMatchObject({ complete: true, resumedFrom: `dynamodb:${checkpoints}/dynamodb:${table.tableName}` });
    expect(first.migrated + second.migrated).toBe(30);
  });

  it('stops within a KMS-call budget and resumes', async () => {
    const keyId = await createKmsKey('migrate budget');
    // A data key per item (no cache): every item costs one GenerateDataKey.
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), cache: false });
    const table = await freshTable(envelope);
    await putItems(client, table.tableName, Array.from({ length: 40 }, (_, i) => plainItem(i)));
    const checkpoint = join(scratch, 'budget.ckpt');
    const first: MigrationReport = await migrateTable({ client, table, segments: 1, pageSize: 10, concurrency: 4, checkpoint, maxKmsCalls: 15 });
    expect(first).toMatchObject({ complete: false, stopped: 'kms-budget', migrated: 20 });
    const second = await migrateTable({ client, table, checkpoint });
    expect(first.migrated + second.migrated).toBe(40);
  });

  it('counts KMS calls made elsewhere (worker processes) against the budget and into the report', async () => {
    const table = await freshTable();
    await putItems(client, table.tableName, Array.from({ length: 30 }, (_, i) => plainItem(i)));
    const checkpoint = join(scratch, 'elsewhere.ckpt');
    // An executor with an envelope of its own, as a worker process has: one data key per item.
    const worker = localEnvelope();
    const workerCalls = (): number => worker.stats().kmsGenerateDataKeyCalls + worker.stats().kmsDecryptCalls;
    const executeSegment: SegmentExecutor = async (task) => {
      await migrateScanSegment({ client, table: { ...table, envelope: worker }, pageSize: 10, ...task });
    };
    const first = await migrateTable({ client, table, segments: 1, checkpoint, maxKmsCalls: 15, kmsCallsElsewhere: workerCalls, executeSegment });
    expect(first).toMatchObject({ complete: false, stopped: 'kms-budget', migrated: 20 });
    expect(first.kmsCalls).toBeGreaterThanOrEqual(20);
    // An executor that stopped on the budget itself and sent no page: still 'kms-budget', resumable.
    const idle = await migrateTable({ client, table, checkpoint, maxKmsCalls: 5, kmsCallsElsewhere: () => 5, executeSegment: () => Promise.resolve() });
    expect(idle).toMatchObject({ complete: false, stopped: 'kms-budget', migrated: 0 });
    expect(idle.kmsCalls).toBeGreaterThanOrEqual(5);
    const rest = await migrateTable({ client, table, checkpoint });
    expect(rest).toMatchObject({ complete: true, migrated: 10 });
  });

  it('paces records at maxRecordsPerSecond', async () => {
    const table = await freshTable();
    await putItems(client, table.tableName, Array.from({ length: 30 }, (_, i) => plainItem(i)));
    const started = Date.now();
    await migrateTable({ client, table, segments: 3, maxRecordsPerSecond: 40 });
    // 30 records at 40/s: the first second's burst allowance, then spacing; at least ~0.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});
