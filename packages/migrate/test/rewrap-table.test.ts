import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, PhisealError, type KeyProvider } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { createKmsKey, kmsClient, scratchDir } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { migrateTable, recordsSeen, rewrapScanSegment, rewrapTable } from '@phiseal/migrate';
import { rewrapStoredItem, type RewrapRun } from '../src/internal/item-rewrap.js';
import { rewrapKeys } from '../src/internal/rewrap-run.js';
import { freshTable, getItem, keyOf, plainItem, putItem, putItems, rawClient, type Item } from './helpers.js';

const client = rawClient();
const scratch = scratchDir('rewrap-table');
const local = (name: string): LocalKeyProvider => new LocalKeyProvider({ keyId: name, key: randomBytes(32) });
const under = (table: TableConfig, keys: KeyProvider): TableConfig => ({ ...table, envelope: createEnvelope({ keys, cache: false }) });
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : 'not-a-phiseal-error'),
  );

/** A table whose items are encrypted under `from` (its config's envelope). */
async function encryptedTable(from: KeyProvider, count: number): Promise<{ table: TableConfig; items: Item[] }> {
  const table = under(await freshTable(), from);
  const items = Array.from({ length: count }, (_, i) => plainItem(i));
  await putItems(client, table.tableName, await Promise.all(items.map((item) => encryptItem(item, table))));
  return { table, items };
}

function itemRun(table: TableConfig, from: KeyProvider, to: KeyProvider, beforeWrite?: RewrapRun['beforeWrite']): RewrapRun {
  return { ...rewrapKeys(table, from, to).run, client, dryRun: false, maxConflictRetries: 5, ...(beforeWrite ? { beforeWrite } : {}) };
}

describe('rewrapTable', () => {
  it('re-keys every item under `from`; the new key reads them, the old key no longer does; the rest is reported without values', async () => {
    const [a, b, c] = [local('key-a'), local('key-b'), local('key-c')];
    const { table, items } = await encryptedTable(a, 60);
    await putItem(client, table.tableName, plainItem(100));
    await putItem(client, table.tableName, await encryptItem(plainItem(101), under(table, b))); // already under `to`
    await putItem(client, table.tableName, await encryptItem(plainItem(102), under(table, c))); // under neither
    await putItem(client, table.tableName, { ...(await encryptItem(plainItem(103), table)), note: { S: 'changed' } }); // tampered
    const report = await rewrapTable({ client, table, from: a, to: b, segments: 3, pageSize: 10 });
    expect(report).toMatchObject({ migrated: 60, skipped: 2, failed: 2, refused: 0, complete: true });
    expect(report.errors.map((e) => e.code).sort()).toEqual(['DECRYPTION_FAILED', 'KEY_NOT_ALLOWED']);
    // Value-free: no key, attribute value or key name of any item.
    const text = JSON.stringify(report);
    for (const needle of [keyOf(0), keyOf(102), 'visit', 'key-a', 'key-c']) expect(text).not.toContain(needle);
    for (const item of items) {
      const stored = (await getItem(client, table.tableName, item['pk']!.S!))!;
      expect(await decryptItem(stored, under(table, b))).toEqual(item);
      expect(await codeOf(decryptItem(stored, table))).toBe('KEY_NOT_ALLOWED');
    }
    // A second run finds nothing left under `from`.
    const again = await rewrapTable({ client, table, from: a, to: b });
    expect(again).toMatchObject({ migrated: 0, skipped: 62, failed: 2, complete: true });
  });

  it('a dry run verifies and counts, and writes nothing', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table, items } = await encryptedTable(a, 12);
    const before = await getItem(client, table.tableName, keyOf(3));
    const report = await rewrapTable({ client, table, from: a, to: b, dryRun: true });
    expect(report).toMatchObject({ migrated: 12, dryRun: true, complete: true });
    expect(await getItem(client, table.tableName, keyOf(3))).toEqual(before);
    expect(await decryptItem(before!, table)).toEqual(items[3]);
  });

  it('stops on a signal and resumes from a sealed checkpoint, each item re-keyed exactly once', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table } = await encryptedTable(a, 80);
    const checkpoint = join(scratch, 'rewrap.ckpt');
    const stop = new AbortController();
    const first = await rewrapTable({
      client, table, from: a, to: b, segments: 2, pageSize: 10, checkpoint, signal: stop.signal,
      onProgress: (p) => { if (p.done >= 20) stop.abort(); },
    });
    expect(first).toMatchObject({ complete: false, stopped: 'interrupted' });
    expect(recordsSeen(first)).toBeLessThan(80);
    const text = await readFile(checkpoint, 'utf8');
    for (let i = 0; i < 80; i++) expect(text).not.toContain(keyOf(i));
    const second = await rewrapTable({ client, table, from: a, to: b, checkpoint });
    expect(second).toMatchObject({ complete: true, resumedFrom: checkpoint, skipped: 0 });
    expect(first.migrated + second.migrated).toBe(80);
    // The checkpoint is bound to both keys: another rotation of the same table does not resume from it.
    await expect(rewrapTable({ client, table, from: local('key-z'), to: b, checkpoint })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // A migration's checkpoint of the same table is another kind of run: refused.
    const migration = join(scratch, 'migrate.ckpt');
    await migrateTable({ client, table, checkpoint: migration });
    await expect(rewrapTable({ client, table, from: a, to: b, checkpoint: migration })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses bad options', async () => {
    const table = await freshTable();
    const a = local('key-a');
    await expect(rewrapTable({ client, table, from: a, to: a })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rewrapTable({ client, table, from: a, to: {} as KeyProvider })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(rewrapTable({ client, table, from: a, to: local('key-b'), segments: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rewrapScanSegment({ client, table, from: a, to: local('key-b'), segment: 2, totalSegments: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('moves items from one KMS key to another; only the new key decrypts them; stops within a KMS budget and resumes', async () => {
    const [oldKey, newKey] = await Promise.all([createKmsKey('rewrap old'), createKmsKey('rewrap new')]);
    const from = new KmsKeyProvider({ keyId: oldKey, client: kmsClient() });
    const to = new KmsKeyProvider({ keyId: newKey, client: kmsClient() });
    const { table, items } = await encryptedTable(from, 20);
    const checkpoint = join(scratch, 'kms.ckpt');
    // Two KMS calls per item (Decrypt under the old key, GenerateDataKey under the new one).
    const first = await rewrapTable({ client, table, from, to, segments: 1, pageSize: 5, concurrency: 1, checkpoint, maxKmsCalls: 12 });
    expect(first).toMatchObject({ complete: false, stopped: 'kms-budget', migrated: 10 });
    const second = await rewrapTable({ client, table, from, to, checkpoint });
    expect(second).toMatchObject({ complete: true, migrated: 10, failed: 0 });
    for (const item of items) {
      const stored = (await getItem(client, table.tableName, item['pk']!.S!))!;
      expect(await decryptItem(stored, under(table, to))).toEqual(item);
      expect(await codeOf(decryptItem(stored, table))).toBe('KEY_NOT_ALLOWED');
    }
  });
});

describe('re-keying one item while the application writes', () => {
  it("the application's write between the read and the write wins, and is itself re-keyed", async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table, items } = await encryptedTable(a, 1);
    const newer = { ...items[0]!, visit: { S: 'visit 0, amended' } };
    let writes = 0;
    const read = (await getItem(client, table.tableName, keyOf(0)))!;
    const out = await rewrapStoredItem(
      itemRun(table, a, b, async () => {
        if (writes++ === 0) await putItem(client, table.tableName, await encryptItem(newer, table));
      }),
      read,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(0)))!, under(table, b))).toEqual(newer);
  });

  it('an application already writing under the new key: its item is kept and skipped', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table, items } = await encryptedTable(a, 1);
    const newer = { ...items[0]!, dose: { N: '12' } };
    const read = (await getItem(client, table.tableName, keyOf(0)))!;
    const out = await rewrapStoredItem(itemRun(table, a, b, async () => putItem(client, table.tableName, await encryptItem(newer, under(table, b)))), read, 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'REWRAPPED', conflictsRetried: 1 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(0)))!, under(table, b))).toEqual(newer);
  });

  it('an attribute the application added after the read (no condition names it) is put back, then re-keyed', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table, items } = await encryptedTable(a, 1);
    let writes = 0;
    const read = (await getItem(client, table.tableName, keyOf(0)))!;
    // The application adds an unsigned attribute: every attribute read keeps its value, so the
    // condition holds and the write replaces the application's item, which must come back.
    const plainTable: TableConfig = { ...table, actions: { note: 'sign', extra: 'plain' }, allowedUnsignedAttributes: ['extra'] };
    const appended: Item = { ...read, extra: { S: 'x' } };
    const out = await rewrapStoredItem(
      itemRun(plainTable, a, b, async () => {
        if (writes++ === 0) await putItem(client, table.tableName, appended);
      }),
      read,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    const stored = (await getItem(client, table.tableName, keyOf(0)))!;
    expect(stored['extra']).toEqual({ S: 'x' });
    expect(await decryptItem(stored, under(plainTable, b))).toEqual({ ...items[0]!, extra: { S: 'x' } });
  });

  it('gives up after maxConflictRetries with a retryable CONFLICT, leaving the newest write', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table, items } = await encryptedTable(a, 1);
    let n = 0;
    const read = (await getItem(client, table.tableName, keyOf(0)))!;
    const out = await rewrapStoredItem(
      itemRun(table, a, b, async () => putItem(client, table.tableName, await encryptItem({ ...items[0]!, dose: { N: String(++n) } }, table))),
      read,
      'x',
    );
    expect(out).toMatchObject({ outcome: 'failed', code: 'CONFLICT', retryable: true, conflictsRetried: 5 });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(0)))!, table)).toEqual({ ...items[0]!, dose: { N: String(n) } });
  });

  it('does not bring back an item deleted between the read and the write', async () => {
    const [a, b] = [local('key-a'), local('key-b')];
    const { table } = await encryptedTable(a, 1);
    const read = (await getItem(client, table.tableName, keyOf(0)))!;
    const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
    const out = await rewrapStoredItem(itemRun(table, a, b, async () => void (await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: { pk: { S: keyOf(0) } } })))), read, 'x');
    expect(out).toMatchObject({ outcome: 'skipped', code: 'GONE' });
    expect(await getItem(client, table.tableName, keyOf(0))).toBeUndefined();
  });
});
