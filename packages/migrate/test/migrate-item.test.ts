import { decryptItem, encryptItem } from '@phiseal/dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateItem, migrateScanSegment } from '@phiseal/migrate';
import { migrateStoredItem, type ItemRun } from '../src/internal/item-migration.js';
import { freshTable, getItem, keyOf, plainItem, putItem, putItems, rawClient, type Item } from './helpers.js';

const client = rawClient();

function run(table: ItemRun['table'], beforeWrite?: ItemRun['beforeWrite']): ItemRun {
  return { client, table, dryRun: false, verifyEncrypted: true, maxConflictRetries: 5, ...(beforeWrite ? { beforeWrite } : {}) };
}

describe('migrating one item', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
  });

  it('encrypts a plaintext item in place; a second run skips it', async () => {
    const item = plainItem(1);
    await putItem(client, table.tableName, item);
    const first = await migrateItem({ client, table, key: { pk: item['pk'] } });
    expect(first).toMatchObject({ outcome: 'migrated', conflictsRetried: 0 });
    const stored = (await getItem(client, table.tableName, keyOf(1))) as Item;
    expect(stored['aws_dbe_head']).toBeDefined();
    expect(stored['visit']?.B).toBeDefined();
    expect(await decryptItem(stored, table)).toEqual(item);
    const second = await migrateItem({ client, table, key: { pk: item['pk'] } });
    expect(second).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED' });
  });

  it('leaves a tampered item untouched and reports the decryption-failure code', async () => {
    const item = plainItem(2);
    const sealed = (await encryptItem(item, table));
    const { aws_dbe_foot: _foot, ...stripped } = sealed;
    await putItem(client, table.tableName, stripped);
    const out = await migrateItem({ client, table, key: { pk: item['pk'] } });
    expect(out).toMatchObject({ outcome: 'failed', code: 'DECRYPTION_FAILED', retryable: false });
    expect(await getItem(client, table.tableName, keyOf(2))).toEqual(stripped);

    const flipped = { ...sealed, note: { S: 'changed' } };
    await putItem(client, table.tableName, flipped);
    expect(await migrateItem({ client, table, key: { pk: item['pk'] } })).toMatchObject({ outcome: 'failed', code: 'DECRYPTION_FAILED' });
  });

  it('refuses an item whose key value is PHI and leaves it as it was', async () => {
    const item = { ...plainItem(3), pk: { S: 'jane.doe@example.com' } };
    await putItem(client, table.tableName, item);
    const out = await migrateItem({ client, table, key: { pk: item.pk } });
    expect(out).toMatchObject({ outcome: 'refused', code: 'PHI_DETECTED' });
    expect(out.id).not.toContain('jane');
    expect(await getItem(client, table.tableName, 'jane.doe@example.com')).toEqual(item);
  });

  it('never overwrites a value the application wrote between the read and the write', async () => {
    const item = plainItem(4);
    await putItem(client, table.tableName, item);
    const newer = { ...item, visit: { S: 'visit 4, amended' } };
    let writes = 0;
    const out = await migrateStoredItem(
      run(table, async () => {
        if (writes++ === 0) await putItem(client, table.tableName, newer);
      }),
      item,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(4))) as Item, table)).toEqual(newer);
  });

  it('keeps an attribute the application added after the read (the condition cannot name it)', async () => {
    const item = plainItem(5);
    await putItem(client, table.tableName, item);
    const added = { ...item, allergy: { S: 'penicillin' } };
    let writes = 0;
    const out = await migrateStoredItem(
      run(table, async () => {
        if (writes++ === 0) await putItem(client, table.tableName, added);
      }),
      item,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(5))) as Item, table)).toEqual(added);
  });

  it('skips an item the application encrypted between the read and the write', async () => {
    const item = plainItem(6);
    await putItem(client, table.tableName, item);
    const newer = { ...item, dose: { N: '12' } };
    const out = await migrateStoredItem(run(table, async () => putItem(client, table.tableName, (await encryptItem(newer, table)))), item, 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(6))) as Item, table)).toEqual(newer);
  });

  it('does not bring back an item deleted between the read and the write', async () => {
    const item = plainItem(7);
    const out = await migrateStoredItem(run(table), item, 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'GONE' });
    expect(await getItem(client, table.tableName, keyOf(7))).toBeUndefined();
  });

  it('does not bring back an item the application deleted between the read and the write', async () => {
    const item = plainItem(10);
    await putItem(client, table.tableName, item);
    const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
    const out = await migrateStoredItem(run(table, async () => void (await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: { pk: item['pk']! } })))), item, 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'GONE', conflictsRetried: 1 });
    expect(await getItem(client, table.tableName, keyOf(10))).toBeUndefined();
  });

  it('migrates an item of key attributes only, and does not bring it back once deleted', async () => {
    const item: Item = { pk: { S: keyOf(11) } };
    await putItem(client, table.tableName, item);
    expect(await migrateStoredItem(run(table), item, 'x')).toMatchObject({ outcome: 'migrated' });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(11))) as Item, table)).toEqual(item);
    const bare: Item = { pk: { S: keyOf(12) } };
    expect(await migrateStoredItem(run(table), bare, 'x')).toMatchObject({ outcome: 'skipped', code: 'GONE' });
    expect(await getItem(client, table.tableName, keyOf(12))).toBeUndefined();
  });

  it('an item too wide for one condition: a change outside the condition is still kept', async () => {
    const wide: Item = plainItem(8);
    for (let i = 0; i < 150; i++) wide[`f${String(i).padStart(3, '0')}`] = { S: `v${i}` };
    await putItem(client, table.tableName, wide);
    // f149 sorts last, beyond the 100 attributes the condition names.
    const newer = { ...wide, f149: { S: 'changed' } };
    let writes = 0;
    const out = await migrateStoredItem(
      run(table, async () => {
        if (writes++ === 0) await putItem(client, table.tableName, newer);
      }),
      wide,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(8))) as Item, table)).toEqual(newer);
  });

  it('gives up after maxConflictRetries with a retryable CONFLICT, leaving the newest write', async () => {
    const item = plainItem(9);
    await putItem(client, table.tableName, item);
    let n = 0;
    const out = await migrateStoredItem(run(table, async () => putItem(client, table.tableName, { ...item, dose: { N: String(++n) } })), item, 'x');
    expect(out).toMatchObject({ outcome: 'failed', code: 'CONFLICT', retryable: true, conflictsRetried: 5 });
    expect(await getItem(client, table.tableName, keyOf(9))).toEqual({ ...item, dose: { N: String(n) } });
  });
});

describe('migrateScanSegment', () => {
  it('migrates every item of every segment, and a dry run writes nothing', async () => {
    const table = await freshTable();
    const items = Array.from({ length: 60 }, (_, i) => plainItem(i));
    await putItems(client, table.tableName, items);
    const dry = await migrateScanSegment({ client, table, segment: 0, totalSegments: 1, dryRun: true, pageSize: 25 });
    expect(dry.report).toMatchObject({ migrated: 60, skipped: 0, dryRun: true, complete: true });
    expect((await getItem(client, table.tableName, keyOf(0)))?.['aws_dbe_head']).toBeUndefined();
    const pages: number[] = [];
    let total = 0;
    for (let segment = 0; segment < 3; segment++) {
      const out = await migrateScanSegment({ client, table, segment, totalSegments: 3, pageSize: 7, onPage: (p) => void pages.push(p.report.migrated) });
      expect(out.done).toBe(true);
      total += out.report.migrated;
    }
    expect(total).toBe(60);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(60);
    for (const item of items) {
      const stored = (await getItem(client, table.tableName, item['pk']?.S as string)) as Item;
      expect(await decryptItem(stored, table)).toEqual(item);
    }
    const again = await migrateScanSegment({ client, table, segment: 0, totalSegments: 1 });
    expect(again.report).toMatchObject({ migrated: 0, skipped: 60, failed: 0 });
  });

  it('`stop` cuts a page short after the records in flight; the page runs again from its start', async () => {
    const table = await freshTable();
    await putItems(client, table.tableName, Array.from({ length: 30 }, (_, i) => plainItem(i)));
    const stop = new AbortController();
    let taken = 0;
    // The limiter is asked before each record: the stop comes while the 5th record starts.
    const limiter = { take: (): Promise<void> => Promise.resolve(void (++taken === 5 && stop.abort())) };
    const pages: { migrated: number; done: boolean; key: unknown }[] = [];
    const cut = await migrateScanSegment({
      client, table, segment: 0, totalSegments: 1, pageSize: 20, concurrency: 1, limiter, stop: stop.signal,
      onPage: (p) => void pages.push({ migrated: p.report.migrated, done: p.done, key: p.lastEvaluatedKey }),
    });
    expect(cut).toMatchObject({ done: false, lastEvaluatedKey: undefined });
    expect(cut.report).toMatchObject({ migrated: 5, complete: false });
    expect(pages).toEqual([{ migrated: 5, done: false, key: undefined }]);
    const rest = await migrateScanSegment({ client, table, segment: 0, totalSegments: 1 });
    expect(rest.report).toMatchObject({ migrated: 25, skipped: 5, failed: 0, complete: true });
  });
});
