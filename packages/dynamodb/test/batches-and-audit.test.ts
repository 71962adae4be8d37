import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, KmsKeyProvider, type AuditEvent } from '@phiseal/core';
import { createKmsKey, createTable, kmsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptedTable, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

// DynamoDB (and the emulator) only return unprocessed items under throttling, so these tests
// add a middleware to a real client that reports part of a real, fully processed batch as
// unprocessed — what DynamoDB would have sent back — just inside phiseal's decryption.

type Output = { UnprocessedItems?: Record<string, unknown[]>; UnprocessedKeys?: Record<string, { Keys: unknown[] }>; Responses?: Record<string, unknown[]> };
type Stack = { addRelativeTo: (mw: never, options: object) => void };

function reportUnprocessed(client: { middlewareStack: unknown }, table: string, times: number): { calls: number } {
  const state = { calls: 0 };
  const mw =
    (next: (a: { input: Record<string, Record<string, unknown>> }) => Promise<{ output: Output }>, context: { commandName?: string }) =>
    async (args: { input: Record<string, Record<string, unknown>> }) => {
      const result = await next(args);
      const requested = args.input['RequestItems']?.[table];
      if (!requested) return result;
      state.calls++;
      if (state.calls > times) return result;
      if (context.commandName === 'BatchWriteItemCommand') {
        result.output.UnprocessedItems = { [table]: (requested as unknown[]).slice(0, 3) };
      }
      if (context.commandName === 'BatchGetItemCommand') {
        const keys = (requested as { Keys: unknown[] }).Keys.slice(0, 2);
        result.output.UnprocessedKeys = { [table]: { Keys: keys } };
        const pk = (k: unknown) => JSON.stringify((k as Record<string, unknown>)['pk']);
        const held = new Set(keys.map(pk));
        result.output.Responses = { [table]: (result.output.Responses?.[table] ?? []).filter((i) => !held.has(pk(i))) };
      }
      return result;
    };
  (client.middlewareStack as Stack).addRelativeTo(mw as never, { name: 'testReportUnprocessed', relation: 'after', toMiddleware: 'phisealDynamoDbDecrypt', override: true });
  return state;
}

let table: string;
let config: TableConfig;
const item = (i: number) => ({ pk: `u${i}`, name: `Patient ${i}`, dob: '1990-01-01' });

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk' });
  config = { tableName: table, partitionKey: 'pk', envelope: await kmsEnvelope() };
});

describe('unprocessed batch items', () => {
  it('withEncryption hands UnprocessedItems back decrypted, ready to resend', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    reportUnprocessed(doc, table, 1);
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: [1, 2, 3, 4].map((i) => ({ PutRequest: { Item: item(i) } })) } }));
    expect(out.UnprocessedItems?.[table]).toEqual([1, 2, 3].map((i) => ({ PutRequest: { Item: item(i) } })));
    const again = await doc.send(new BatchWriteCommand({ RequestItems: out.UnprocessedItems! }));
    expect(again.UnprocessedItems?.[table] ?? []).toEqual([]);
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'u1' } } }));
    expect(raw.Item?.['name']?.B).toBeInstanceOf(Uint8Array);
  });

  it('withEncryption returns UnprocessedKeys as keys', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    reportUnprocessed(doc, table, 1);
    const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [1, 2, 3, 4].map((i) => ({ pk: `u${i}` })) } } }));
    expect(out.UnprocessedKeys?.[table]?.Keys).toEqual([{ pk: 'u1' }, { pk: 'u2' }]);
    expect(out.Responses?.[table]?.map((i) => String(i['pk'])).sort()).toEqual(['u3', 'u4']);
  });

  it('encryptedTable retries unprocessed writes and reads until done', async () => {
    const client = rawClient();
    const writes = reportUnprocessed(client, table, 2);
    const t = encryptedTable({ ...config, client, retry: { baseDelayMs: 1 } });
    expect(await t.batchWrite({ put: [5, 6, 7, 8].map(item) })).toEqual({ unprocessedPuts: [], unprocessedDeletes: [] });
    expect(writes.calls).toBe(3);
    const got = await t.batchGet([5, 6, 7, 8].map((i) => ({ pk: `u${i}` })));
    expect(got.unprocessedKeys).toEqual([]);
    expect(got.items.map((i) => String(i['pk'])).sort()).toEqual(['u5', 'u6', 'u7', 'u8']);
  });

  it('encryptedTable hands back what stays unprocessed after its attempts, decrypted', async () => {
    const client = rawClient();
    reportUnprocessed(client, table, 100);
    const t = encryptedTable({ ...config, client, retry: { attempts: 2, baseDelayMs: 1 } });
    const out = await t.batchWrite({ put: [9, 10, 11, 12].map(item) });
    expect(out.unprocessedPuts).toEqual([9, 10, 11].map(item));
  });
});

describe('clients and sizes', () => {
  it('encryptedTable over a client already wrapped by withEncryption encrypts once', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    const t = encryptedTable({ ...config, client: doc });
    await t.put(item(20));
    expect((await doc.send(new GetCommand({ TableName: table, Key: { pk: 'u20' } }))).Item).toEqual(item(20));
    expect(await t.get({ pk: 'u20' })).toEqual(item(20));
  });

  it('refuses a put that encryption pushes over 400 KB, before sending', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    const big: Record<string, string> = { pk: 'big' };
    for (let i = 0; i < 9000; i++) big[`a${i}`] = 'x'.repeat(40);
    expect(await codeOf(doc.send(new PutCommand({ TableName: table, Item: big })))).toBe('LIMIT_EXCEEDED');
    expect((await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'big' } } }))).Item).toBeUndefined();
  });
});

describe('audit', () => {
  it('emits one value-free event per request with the wrapping key id', async () => {
    const events: AuditEvent[] = [];
    const keyId = await createKmsKey();
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), audit: (e) => events.push(e) });
    const doc = withEncryption(docClient(), { tables: { [table]: { ...config, envelope } } });
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'audit', name: 'Secret Name' } }));
    await doc.send(new GetCommand({ TableName: table, Key: { pk: 'audit' } }));
    const ours = events.filter((e) => e.operation.startsWith('dynamodb.'));
    expect(ours.map((e) => [e.operation, e.outcome])).toEqual([
      ['dynamodb.PutItem', 'success'],
      ['dynamodb.GetItem', 'success'],
    ]);
    expect(ours.every((e) => e.keyId === keyId && e.contextKeys.join() === 'phiseal:dynamodb-table')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('Secret Name');
    expect(JSON.stringify(events)).not.toContain(table);
  });
});
