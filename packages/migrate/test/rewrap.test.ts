import { createEnvelope, PhisealError } from '@phiseal/core';
import { decryptItem, encryptItem } from '@phiseal/dynamodb';
import { rewrap, type RewrapOptions } from '@phiseal/migrate';
import { createBucket, s3Client } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { freshTable, getItem, keyOf, plainItem, putItems, rawClient } from './helpers.js';
import { localKeys, readWith, writeWith } from './rewrap-support.js';

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : 'not-a-phiseal-error'),
  );

describe('rewrap', () => {
  it('re-keys a table given { table }', async () => {
    const [from, to] = [localKeys('entry-old'), localKeys('entry-new')];
    const client = rawClient();
    const table = { ...(await freshTable()), envelope: createEnvelope({ keys: from }) };
    await putItems(client, table.tableName, await Promise.all([0, 1, 2].map((i) => encryptItem(plainItem(i), table))));
    // The table configuration without an envelope is enough: the keys come from `from` and `to`.
    const { envelope: _unused, ...config } = table;
    const report = await rewrap({ client, target: { table: config }, from, to });
    expect(report).toMatchObject({ migrated: 3, failed: 0, complete: true });
    expect(await decryptItem((await getItem(client, table.tableName, keyOf(1)))!, { ...table, envelope: createEnvelope({ keys: to }) })).toEqual(plainItem(1));
  });

  it('re-keys a bucket prefix given { bucket, prefix }', async () => {
    const [from, to] = [localKeys('entry-old'), localKeys('entry-new')];
    const bucket = await createBucket();
    await writeWith(from, bucket, 'in/a.txt', 'a');
    await writeWith(from, bucket, 'out/b.txt', 'b');
    const report = await rewrap({ client: s3Client(), target: { bucket, prefix: 'in/' }, from, to });
    expect(report).toMatchObject({ migrated: 1, failed: 0, complete: true });
    expect(await readWith(to, bucket, 'in/a.txt')).toBe('a');
    expect(await readWith(from, bucket, 'out/b.txt')).toBe('b');
  });

  it('refuses a target that is neither or both (INVALID_ARGUMENT)', async () => {
    const [from, to] = [localKeys('entry-old'), localKeys('entry-new')];
    const table = await freshTable();
    expect(await codeOf(rewrap({ client: rawClient(), target: {}, from, to } as unknown as RewrapOptions))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rewrap({ client: rawClient(), target: { table, bucket: 'b' }, from, to }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rewrap(undefined as unknown as RewrapOptions))).toBe('INVALID_ARGUMENT');
  });
});
