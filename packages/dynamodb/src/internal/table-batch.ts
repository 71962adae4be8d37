import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, Key } from '../encrypted-table-types.js';
import { LIMITS } from './request-transform.js';
import { sleep, type TableRuntime } from './table-runtime.js';

// Batches of any size for encryptedTable: split to DynamoDB's limits (100 reads, 25 writes
// per request) and retry what DynamoDB hands back unprocessed, with exponential back-off.
// Unprocessed puts come back decrypted from the middleware and are encrypted again on resend.

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Reads `keys`; returns the items and the keys still unprocessed after every retry.
 * @throws the errors of BatchGetItem (PhisealError or AWS SDK errors).
 * @example
 * ```ts
 * const { items, unprocessedKeys } = await batchGet(runtime, keys);
 * ```
 */
export async function batchGet(rt: TableRuntime, keys: readonly Key[]): Promise<{ items: Item[]; unprocessedKeys: Key[] }> {
  const name = rt.t.tableName;
  const items: Item[] = [];
  const unprocessedKeys: Key[] = [];
  for (const chunk of chunks(keys, LIMITS.batchGet)) {
    let pending: Key[] = chunk;
    for (let attempt = 0; pending.length > 0 && attempt < rt.retry.attempts; attempt++) {
      if (attempt > 0) await sleep(rt.retry.baseDelayMs * 2 ** (attempt - 1));
      const out = await rt.doc.send(rt.prepare(new BatchGetCommand({ RequestItems: { [name]: { Keys: pending } } })));
      items.push(...(out.Responses?.[name] ?? []));
      pending = (out.UnprocessedKeys?.[name]?.Keys ?? []) as Key[];
    }
    unprocessedKeys.push(...pending);
  }
  return { items, unprocessedKeys };
}

type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Key } };

/**
 * Writes puts and deletes; returns what is still unprocessed after every retry (puts decrypted).
 * @throws the errors of BatchWriteItem (PhisealError or AWS SDK errors).
 * @example
 * ```ts
 * const { unprocessedPuts } = await batchWrite(runtime, { put: items });
 * ```
 */
export async function batchWrite(
  rt: TableRuntime,
  requests: { put?: readonly Item[]; delete?: readonly Key[] },
): Promise<{ unprocessedPuts: Item[]; unprocessedDeletes: Key[] }> {
  const name = rt.t.tableName;
  const all: WriteRequest[] = [
    ...(requests.put ?? []).map((item) => ({ PutRequest: { Item: item } })),
    ...(requests.delete ?? []).map((key) => ({ DeleteRequest: { Key: key } })),
  ];
  const unprocessedPuts: Item[] = [];
  const unprocessedDeletes: Key[] = [];
  for (const chunk of chunks(all, LIMITS.batchWrite)) {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0 && attempt < rt.retry.attempts; attempt++) {
      if (attempt > 0) await sleep(rt.retry.baseDelayMs * 2 ** (attempt - 1));
      const out = await rt.doc.send(rt.prepare(new BatchWriteCommand({ RequestItems: { [name]: pending } })));
      pending = (out.UnprocessedItems?.[name] ?? []) as WriteRequest[];
    }
    for (const r of pending) {
      if (r.PutRequest) unprocessedPuts.push(r.PutRequest.Item);
      if (r.DeleteRequest) unprocessedDeletes.push(r.DeleteRequest.Key);
    }
  }
  return { unprocessedPuts, unprocessedDeletes };
}
