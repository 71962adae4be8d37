// The Distributed Map handler on DynamoDB Scan segments, against the emulator with real
// clients: segments run to their page budget and hand back continuations (as the deploy
// template's loop feeds them back), a rerun is idempotent, throttling throws the retryable
// error Step Functions retries on, and tables are matched only as configured.
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { decryptItem, type TableConfig } from '@phiseal/dynamodb';
import { awsClientConfig, fastRetry, startFaultProxy, type FaultProxy } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributedMapHandler, type DistributedMapHandlerOptions } from '../src/distributed-map/create-distributed-map-handler.js';
import type { DistributedMapResult, SegmentContinuation } from '../src/distributed-map/map-event.js';
import { RETRYABLE_ERROR_NAME } from '../src/distributed-map/retryable-error.js';
import { migrateScanSegment } from '../src/migrate-scan-segment.js';
import { freshTable, keyOf, plainItem, putItems, rawClient } from './helpers.js';

const COUNT = 230;
const noObjects = () => Promise.reject(new Error('no S3 objects in this test'));

function handlerFor(options: DistributedMapHandlerOptions) {
  return distributedMapHandler(options, { object: noObjects, segment: (request) => migrateScanSegment({ ...request, pageSize: 50 }) });
}

// Runs segments like the state machine: invoke, then feed each continuation back until none is left.
const continuations: SegmentContinuation[] = [];
async function runToEnd(handler: (event: unknown) => Promise<DistributedMapResult>, table: string, totalSegments: number) {
  let items: Array<{ segment: number; totalSegments: number; startKey?: string }> = Array.from({ length: totalSegments }, (_, segment) => ({ segment, totalSegments }));
  const totals = { migrated: 0, skipped: 0, refused: 0, failed: 0, invocations: 0 };
  while (items.length > 0) {
    const out = await handler({ Items: items, BatchInput: { table, maxPages: 1 } });
    totals.invocations++;
    for (const result of out.results) {
      expect(result.status).toBe('succeeded');
      totals.migrated += result.counts!.migrated;
      totals.skipped += result.counts!.skipped;
      totals.refused += result.counts!.refused;
      totals.failed += result.counts!.failed;
    }
    items = out.continuations.map((next: SegmentContinuation) => ({ ...next }));
    continuations.push(...out.continuations);
  }
  return totals;
}

describe('createDistributedMapHandler: DynamoDB Scan segments', () => {
  let client: DynamoDBClient;
  let table: TableConfig;

  beforeAll(async () => {
    client = rawClient();
    table = await freshTable();
    await putItems(client, table.tableName, Array.from({ length: COUNT }, (_, i) => plainItem(i)));
  });

  it('migrates every item across segments and continuations, and a rerun skips them all', async () => {
    const handler = handlerFor({ dynamodb: { client, tables: { [table.tableName]: table } } });
    const first = await runToEnd(handler, table.tableName, 3);
    expect(first).toMatchObject({ migrated: COUNT, skipped: 0, refused: 0, failed: 0 });
    // 3 segments of ~77 items at 50 per page and one page per invocation: more than one round.
    expect(first.invocations).toBeGreaterThan(1);
    const index = new Map(Array.from({ length: COUNT }, (_, i) => [keyOf(i), i]));
    const stored = (await client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
    expect(stored).toHaveLength(COUNT);
    for (const item of stored) {
      expect(Object.keys(item)).toContain('aws_dbe_head');
      const plain = await decryptItem(item, table);
      const i = index.get(plain['pk']!.S!)!;
      expect(plain).toMatchObject({ visit: { S: `visit ${i}` }, dose: { N: String(i % 97) } });
    }
    const again = await runToEnd(handler, table.tableName, 3);
    expect(again).toMatchObject({ migrated: 0, skipped: COUNT, refused: 0, failed: 0 });
  });

  it('hands continuations over sealed: no key value in them, and a changed or misplaced one is refused', async () => {
    expect(continuations.length).toBeGreaterThan(0);
    // Every key of the table starts 'rec-': neither the token nor the bytes it encodes carry one.
    for (const continuation of continuations) {
      expect(continuation.startKey).not.toContain('rec-');
      expect(Buffer.from(continuation.startKey, 'base64').toString('latin1')).not.toContain('rec-');
    }
    const handler = handlerFor({ dynamodb: { client, tables: { [table.tableName]: table } } });
    const token = continuations[0]!;
    const flipped = token.startKey.slice(0, 40) + (token.startKey[40] === 'A' ? 'B' : 'A') + token.startKey.slice(41);
    const other = { ...token, segment: (token.segment + 1) % token.totalSegments };
    for (const item of [{ ...token, startKey: flipped }, other, { ...token, startKey: { pk: { S: 'rec-bbbb' } } }]) {
      const out = await handler({ Items: [item], BatchInput: { table: table.tableName } });
      expect(out.results[0]).toMatchObject({ status: 'failed', reason: 'invalid-start-key' });
    }
  });

  it('matches a table by name, or by ARN only when configured by that ARN', async () => {
    const arn = `arn:aws:dynamodb:us-east-1:123456789012:table/${table.tableName}`;
    const byName = handlerFor({ dynamodb: { client, tables: { [table.tableName]: table } } });
    const item = { segment: 0, totalSegments: 1 };
    expect((await byName({ Items: [item], BatchInput: { table: arn } })).results[0]).toMatchObject({ status: 'failed', reason: 'table-not-configured' });
    expect((await byName({ Items: [item], BatchInput: { table: 'other-table' } })).results[0]).toMatchObject({ status: 'failed', reason: 'table-not-configured' });
    const byArn = handlerFor({ dynamodb: { client, tables: { [arn]: table } } });
    expect((await byArn({ Items: [item], BatchInput: { table: arn } })).results[0]).toMatchObject({ status: 'succeeded' });
    const s3Only = handlerFor({ s3: { client: undefined as never, buckets: {} } });
    expect((await s3Only({ Items: [item], BatchInput: { table: table.tableName } })).results[0]).toMatchObject({ reason: 'table-not-configured' });
  });

  it('refuses what is no item batch', async () => {
    const handler = handlerFor({ dynamodb: { client, tables: { [table.tableName]: table } } });
    for (const bad of [null, 'x', {}, { Items: 'x' }]) await expect(handler(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => distributedMapHandler({}, { object: noObjects, segment: migrateScanSegment })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
  });

  describe('throttling (fault proxy: the emulator never throttles)', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 18 });
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('throws PhisealRetryableError when Scan is throttled, and the retried batch completes', async () => {
      const fresh = await freshTable();
      await putItems(client, fresh.tableName, Array.from({ length: 40 }, (_, i) => plainItem(i)));
      const throttled = new DynamoDBClient({ ...awsClientConfig(), endpoint: proxy.endpoint, maxAttempts: 2, retryStrategy: fastRetry(2) });
      const handler = handlerFor({ dynamodb: { client: throttled, tables: { [fresh.tableName]: fresh } } });
      const event = { Items: [{ segment: 0, totalSegments: 1 }], BatchInput: { table: fresh.tableName } };
      proxy.add({ service: 'dynamodb', operation: 'Scan', fault: { kind: 'throttle' } });
      const error = await handler(event).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: RETRYABLE_ERROR_NAME, code: 'AWS_REQUEST_FAILED', retryable: true, details: { reason: 'throttled', retryItems: 1, items: 1 } });
      proxy.clear();
      const out = await handler(event);
      expect(out.results[0]).toMatchObject({ status: 'succeeded', counts: { migrated: 40 } });
    });

    it('throws PhisealRetryableError when item writes stay throttled', async () => {
      const fresh = await freshTable();
      await putItems(client, fresh.tableName, Array.from({ length: 10 }, (_, i) => plainItem(i)));
      const throttled = new DynamoDBClient({ ...awsClientConfig(), endpoint: proxy.endpoint, maxAttempts: 2, retryStrategy: fastRetry(2) });
      const handler = handlerFor({ dynamodb: { client: throttled, tables: { [fresh.tableName]: fresh } } });
      const event = { Items: [{ segment: 0, totalSegments: 1 }], BatchInput: { table: fresh.tableName } };
      proxy.add({ service: 'dynamodb', operation: 'PutItem', fault: { kind: 'throttle' } });
      await expect(handler(event)).rejects.toMatchObject({ name: RETRYABLE_ERROR_NAME, retryable: true });
      proxy.clear();
      const out = await handler(event);
      expect(out.results[0]!.status).toBe('succeeded');
      expect(out.results[0]!.counts).toMatchObject({ migrated: 10, skipped: 0, failed: 0 });
    });
  });
});
