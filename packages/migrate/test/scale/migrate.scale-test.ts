// `pnpm test:scale`: a table of 20,000 items and a bucket of 5,000 objects migrated by
// `phiseal migrate --workers 8` while an application process keeps overwriting random records;
// one worker is killed with SIGKILL midway and the run resumed from its checkpoint. Afterwards
// every record is encrypted and decrypts to the application's latest acknowledged value (or
// its original one), and the reports add up.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { decryptItem } from '@phiseal/dynamodb';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, createTable, dynamoClient, s3Client, scratchDir } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { itemKey, objectKey } from './records.js';

const ITEMS = Number(process.env['SCALE_ITEMS'] ?? 20_000);
const OBJECTS = Number(process.env['SCALE_OBJECTS'] ?? 5_000);
const WORKERS = 8;
// Batches of S3 keys: enough of them that every worker is busy when one is killed.
const BATCH = Math.max(25, Math.floor(OBJECTS / 40));
const repo = new URL('../../../../', import.meta.url).pathname;
const dir = scratchDir('migrate-scale');
const keyFile = join(dir, 'scale.key');
LocalKeyProvider.generateFile(keyFile);
const log = join(dir, 'app.log');
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

function tsx(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return child;
}

type Run = { code: number | null; stdout: string; stderr: string };
function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function workerPids(parent: number): number[] {
  try {
    // Only the migration workers: the parent has other children (tsx's esbuild service).
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('migrate-worker'))
      .map((l) => Number(l.trim().split(/\s+/)[0]))
      .filter((p) => p > 0);
  } catch {
    return [];
  }
}

/** Runs the CLI; with `kill`, SIGKILLs one worker once the checkpoint exists. */
async function migrate(args: string[], checkpoint: string, kill: boolean): Promise<{ run: Run; report: Record<string, number | boolean | string> }> {
  const reportFile = `${checkpoint}.report.json`;
  const child = tsx(['packages/cli/src/bin.ts', 'migrate', ...args, '--key-file', keyFile, '--workers', String(WORKERS), '--checkpoint', checkpoint, '--report-json', reportFile, '--quiet']);
  const done = finished(child);
  if (kill) {
    // Polled often: the first checkpoint is written after the first batch or page, and the
    // victim must be picked while the rest of the run is still ahead.
    for (let i = 0; i < 3000 && !existsSync(checkpoint); i++) await new Promise((r) => setTimeout(r, 20));
    const victims = workerPids(child.pid as number);
    const victim = victims[0];
    expect(victim).toBeDefined();
    process.kill(victim as number, 'SIGKILL');
  }
  const run = await done;
  return { run, report: JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, number | boolean | string> };
}

const seen = (r: Record<string, unknown>): number => (r['migrated'] as number) + (r['skipped'] as number) + (r['refused'] as number) + (r['failed'] as number);

/** The values a record may hold: its last acknowledged write (or original) and any unacknowledged write after it. */
function expectations(kind: 'd' | 's', count: number): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (let i = 0; i < count; i++) out.set(i, new Set([`orig ${i}`]));
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === kind) out.set(Number(parts[1]), new Set([parts.slice(2).join(' ')]));
    if (parts[0] === '?' && parts[1] === kind) out.get(Number(parts[2]))?.add(parts.slice(3).join(' '));
  }
  return out;
}

describe('migration at scale, with an application writing and a worker killed', () => {
  it(`${ITEMS} items and ${OBJECTS} objects, 8 workers`, async () => {
    const ddb = dynamoClient();
    const s3 = s3Client();
    const tableName = await createTable({ partitionKey: 'pk' }, 'scale');
    const bucket = await createBucket();
    const t0 = Date.now();
    const batches: Record<string, AttributeValue>[][] = [];
    for (let i = 0; i < ITEMS; i += 25) batches.push(Array.from({ length: Math.min(25, ITEMS - i) }, (_, k) => ({ pk: { S: itemKey(i + k) }, note: { S: `orig ${i + k}` }, visit: { N: String(i + k) } })));
    const fill = async <T>(list: T[], lanes: number, work: (t: T) => Promise<void>): Promise<void> => {
      let next = 0;
      await Promise.all(Array.from({ length: lanes }, async () => {
        while (next < list.length) await work(list[next++] as T);
      }));
    };
    await fill(batches, 16, async (items) => {
      let requests: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(requests).length > 0) requests = ((await ddb.send(new BatchWriteItemCommand({ RequestItems: requests }))).UnprocessedItems ?? {}) as typeof requests;
    });
    await fill(Array.from({ length: OBJECTS }, (_, i) => i), 32, async (i) => void (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(i), Body: `orig ${i}` }))));
    console.log(`filled in ${Date.now() - t0} ms`);

    const app = tsx(['packages/migrate/test/scale/app-writer.ts', keyFile, tableName, bucket, log, String(ITEMS), String(OBJECTS)]);
    const appDone = finished(app);

    const t1 = Date.now();
    const tableCkpt = join(dir, 'table.ckpt');
    const d1 = await migrate(['dynamodb', '--table', tableName, '--segments', '32'], tableCkpt, true);
    expect(d1.run.code).toBe(75);
    expect(d1.report).toMatchObject({ complete: false, stopped: 'worker-lost' });
    const d2 = await migrate(['dynamodb', '--table', tableName, '--segments', '32'], tableCkpt, false);
    expect(d2.run.stderr).toBe('');
    expect(d2.run.code).toBe(0);
    expect(d2.report).toMatchObject({ complete: true, resumedFrom: tableCkpt, failed: 0, refused: 0 });
    console.log(`table: ${Date.now() - t1} ms`, JSON.stringify(d1.report), JSON.stringify(d2.report));

    const t2 = Date.now();
    const bucketCkpt = join(dir, 'bucket.ckpt');
    const s1 = await migrate(['s3', '--bucket', bucket, '--concurrency', '8', '--batch-size', String(BATCH)], bucketCkpt, true);
    console.log('bucket, first run:', s1.run.code, JSON.stringify(s1.report), s1.run.stderr);
    expect(s1.run.code).toBe(75);
    expect(s1.report).toMatchObject({ complete: false, stopped: 'worker-lost' });
    const s2 = await migrate(['s3', '--bucket', bucket, '--concurrency', '8', '--batch-size', String(BATCH)], bucketCkpt, false);
    expect(s2.run.code).toBe(0);
    expect(s2.report).toMatchObject({ complete: true, resumedFrom: bucketCkpt, failed: 0, refused: 0 });
    console.log(`bucket: ${Date.now() - t2} ms`, JSON.stringify(s1.report), JSON.stringify(s2.report));

    app.kill('SIGTERM');
    await appDone;

    // Counts add up: every record seen at least once across the two runs, at most a page per
    // segment (table) or two batches per worker (bucket) twice — what the killed worker did after
    // its last checkpointed page — and no record migrated twice.
    expect(seen(d1.report) + seen(d2.report)).toBeGreaterThanOrEqual(ITEMS);
    expect(seen(d1.report) + seen(d2.report)).toBeLessThanOrEqual(ITEMS + 32 * 100);
    expect((d1.report['migrated'] as number) + (d2.report['migrated'] as number)).toBeLessThanOrEqual(ITEMS);
    expect(seen(s1.report) + seen(s2.report)).toBeGreaterThanOrEqual(OBJECTS);
    // Up to two batches per worker are in flight (the CLI queues a second one per worker).
    expect(seen(s1.report) + seen(s2.report)).toBeLessThanOrEqual(OBJECTS + 2 * WORKERS * BATCH);
    expect((s1.report['migrated'] as number) + (s2.report['migrated'] as number)).toBeLessThanOrEqual(OBJECTS);

    // Every record encrypted, holding the application's latest value.
    const envelope = createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) });
    const table = { tableName, partitionKey: 'pk', envelope };
    const wantItems = expectations('d', ITEMS);
    const indexOf = new Map(Array.from({ length: ITEMS }, (_, i) => [itemKey(i), i]));
    let checked = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      for (const stored of page.Items ?? []) {
        const item = await decryptItem(stored, table);
        const expected = wantItems.get(indexOf.get(item['pk']?.S ?? '') ?? -1);
        expect(expected?.has(item['note']?.S ?? '')).toBe(true);
        checked++;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    expect(checked).toBe(ITEMS);
    const reader = encryptedS3({ client: s3Client(), envelope });
    const wantObjects = expectations('s', OBJECTS);
    await fill(Array.from({ length: OBJECTS }, (_, i) => i), 32, async (i) => {
      const out = await reader.getObject({ Bucket: bucket, Key: objectKey(i) });
      expect(wantObjects.get(i)?.has(await out.Body.transformToString())).toBe(true);
    });
  }, 600_000);
});
