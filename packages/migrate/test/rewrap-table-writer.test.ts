// rewrapTable while an application in another process keeps overwriting random items (still
// under the old key): every item afterwards decrypts to the application's latest acknowledged
// value (none lost to the rotation), the report's counts add up, and a second run moves what
// the application wrote under the old key meanwhile.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider, PhisealError, type KeyProvider } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { awsClientConfig, scratchDir } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { recordsSeen, rewrapTable } from '@phiseal/migrate';
import { freshTable, keyOf, putItems, rawClient, type Item } from './helpers.js';

const ITEMS = 300;
const client = rawClient();
const dir = scratchDir('rewrap-writer');
const repo = new URL('../../../', import.meta.url).pathname;

/** Per item index, the values it may hold: its last acknowledged write (or original) and any unacknowledged one after it. */
function expectations(log: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (let i = 0; i < ITEMS; i++) out.set(i, new Set([`orig ${i}`]));
  for (const line of existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []) {
    const parts = line.split(' ');
    if (parts[0] === '?') out.get(Number(parts[1]))?.add(parts.slice(2).join(' '));
    else if (parts[0] !== '') out.set(Number(parts[0]), new Set([parts.slice(1).join(' ')]));
  }
  return out;
}

async function storedItems(tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

const under = (table: TableConfig, keys: KeyProvider): TableConfig => ({ ...table, envelope: createEnvelope({ keys, cache: false }) });
const keyNotAllowed = (e: unknown): boolean => PhisealError.is(e) && e.code === 'KEY_NOT_ALLOWED';

describe('rewrapTable with an application writing from another process', () => {
  it('loses no write: every item holds the latest acknowledged value, under the new key after a second run', async () => {
    const oldKeyFile = join(dir, 'old.key');
    LocalKeyProvider.generateFile(oldKeyFile);
    const from = LocalKeyProvider.fromFile(oldKeyFile);
    const to = new LocalKeyProvider({ keyId: 'new-key', key: new Uint8Array(32).fill(7) });
    const table = under(await freshTable(), from);
    await putItems(client, table.tableName, await Promise.all(Array.from({ length: ITEMS }, (_, i) => encryptItem({ pk: { S: keyOf(i) }, note: { S: `orig ${i}` } }, table))));

    const log = join(dir, 'app.log');
    const ready = join(dir, 'app.ready');
    const app = spawn(process.execPath, ['--import', 'tsx', 'packages/migrate/test/rewrap-app-writer.ts', awsClientConfig().endpoint, oldKeyFile, table.tableName, log, String(ITEMS), ready], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    app.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => app.once('exit', resolve));
    try {
      for (let i = 0; i < 600 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(ready)).toBe(true);
      const first = await rewrapTable({ client, table, from, to, segments: 4, pageSize: 25, concurrency: 4 });
      expect(first).toMatchObject({ complete: true, failed: 0, refused: 0 });
      // Each item is decided once per run (a conflict re-reads and decides again, not counted twice);
      // the application writes under the old key only, so every item was re-keyed once.
      expect(recordsSeen(first)).toBe(ITEMS);
      expect(first.migrated).toBe(ITEMS);
    } finally {
      app.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const writes = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('?')).length;
    expect(writes).toBeGreaterThan(20);

    // Nothing lost: each item, under whichever key it is now, holds the application's latest value.
    const want = expectations(log);
    const indexOf = new Map(Array.from({ length: ITEMS }, (_, i) => [keyOf(i), i]));
    const check = async (open: (stored: Item) => Promise<Item>): Promise<void> => {
      const stored = await storedItems(table.tableName);
      expect(stored).toHaveLength(ITEMS);
      for (const item of stored) {
        const plain = await open(item);
        expect(want.get(indexOf.get(plain['pk']?.S ?? '') ?? -1)?.has(plain['note']?.S ?? '')).toBe(true);
      }
    };
    await check((item) => decryptItem(item, under(table, to)).catch(async (e: unknown) => {
      // Written by the application under the old key after the scan passed the item.
      if (!keyNotAllowed(e)) throw e;
      return decryptItem(item, table);
    }));

    // A second run, the application stopped, moves the rest: the old key opens nothing.
    const second = await rewrapTable({ client, table, from, to, segments: 2 });
    expect(second).toMatchObject({ complete: true, failed: 0, refused: 0 });
    await check(async (item) => {
      await expect(decryptItem(item, table)).rejects.toSatisfy(keyNotAllowed);
      return decryptItem(item, under(table, to));
    });
  }, 120_000);
});
