import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { enforceSecureTransport, PhisealError, type AwsClientLike } from '@phiseal/core';
import type { EncryptedTable, EncryptedTableOptions, Item, Key, Page, ReadParameters, TransactAction } from './encrypted-table-types.js';
import { queryByBeacon } from './internal/beacon-query.js';
import { checkCount } from './internal/request-policy.js';
import { LIMITS } from './internal/request-transform.js';
import { resolveTable } from './internal/resolve-table.js';
import { batchGet, batchWrite } from './internal/table-batch.js';
import { conditionFields, createRuntime, mergeConditions, type TableRuntime } from './internal/table-runtime.js';
import { updateItem } from './internal/table-update.js';

function badArgument(message: string): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', message);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Not a type guard, so that the caller's element type is kept.
function isObjectList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => isObject(v));
}

function readInput(rt: TableRuntime, p: ReadParameters, query: boolean): QueryCommandInput {
  if (!isObject(p)) throw badArgument('Read parameters must be an object.');
  if (query && !p.keyCondition) throw new PhisealError('INVALID_ARGUMENT', 'query() needs a keyCondition.');
  return {
    TableName: rt.t.tableName,
    ...(p.index !== undefined ? { IndexName: p.index } : {}),
    ...mergeConditions(conditionFields(query ? p.keyCondition : undefined, 'KeyConditionExpression'), conditionFields(p.filter, 'FilterExpression')),
    ...(p.limit !== undefined ? { Limit: p.limit } : {}),
    ...(p.consistentRead !== undefined ? { ConsistentRead: p.consistentRead } : {}),
    ...(query && p.scanIndexForward !== undefined ? { ScanIndexForward: p.scanIndexForward } : {}),
    ...(p.startKey !== undefined ? { ExclusiveStartKey: p.startKey } : {}),
  };
}

async function page(rt: TableRuntime, p: ReadParameters, query: boolean): Promise<Page> {
  const input = readInput(rt, p, query);
  const out = query ? await rt.doc.send(rt.prepare(new QueryCommand(input))) : await rt.doc.send(rt.prepare(new ScanCommand(input)));
  return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}) };
}

async function* pages(rt: TableRuntime, p: ReadParameters, query: boolean): AsyncGenerator<Page> {
  let startKey = p.startKey;
  do {
    const next = await page(rt, { ...p, ...(startKey ? { startKey } : {}) }, query);
    yield next;
    startKey = next.lastEvaluatedKey;
  } while (startKey);
}

function transactItem(rt: TableRuntime, action: TransactAction): Record<string, unknown> {
  const TableName = rt.t.tableName;
  if ('put' in action) return { Put: { TableName, Item: action.put, ...conditionFields(action.condition) } };
  if ('delete' in action) return { Delete: { TableName, Key: action.delete, ...conditionFields(action.condition) } };
  return { ConditionCheck: { TableName, Key: action.conditionCheck, ...conditionFields(action.condition) } };
}

/**
 * A table object whose methods encrypt, sign, verify and decrypt, for code that prefers
 * methods to commands: put, get, delete, query/queryPages/queryAll, scan/scanPages,
 * batchGet, batchWrite (any size, retried), transactGet, transactWrite, update (read,
 * modify, conditional put on the version attribute) and queryByBeacon. Items are plain
 * JavaScript values as with the DocumentClient. The middleware is put on each command, not
 * on your client, so the client is left as it was (apart from the https-only rule).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION`, `PHI_DETECTED`, `INSECURE_ENDPOINT`;
 * methods throw `UNSUPPORTED_OPERATION`, `LIMIT_EXCEEDED`, `DECRYPTION_FAILED`,
 * `INVALID_ARGUMENT` and key-provider errors.
 * @example
 * ```ts
 * const patients = encryptedTable({ tableName: 'patients', partitionKey: 'patientId', envelope, client: new DynamoDBClient({}) });
 * await patients.put({ patientId: 'p-1', name: 'Ada Lovelace', dob: '1815-12-10' });
 * const ada = await patients.get({ patientId: 'p-1' });
 * await patients.update({ patientId: 'p-1' }, { phone: '+44 20 7946 0000' });
 * ```
 */
export function encryptedTable(options: EncryptedTableOptions): EncryptedTable {
  const { client, retry, ...config } = options;
  const t = resolveTable(config);
  if (typeof client !== 'object' || client === null || !('middlewareStack' in client)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'encryptedTable needs a DynamoDBClient or DynamoDBDocumentClient in `client`.');
  }
  enforceSecureTransport(client as unknown as AwsClientLike, 'dynamodb');
  const doc = client instanceof DynamoDBDocumentClient ? client : DynamoDBDocumentClient.from(client as DynamoDBClient);
  const rt = createRuntime(t, doc, { attempts: retry?.attempts ?? 5, baseDelayMs: retry?.baseDelayMs ?? 50 });
  const TableName = t.tableName;
  return {
    tableName: TableName,
    async put(item, o = {}) {
      if (!isObject(item)) throw badArgument('put takes an item object.');
      const out = await doc.send(
        rt.prepare(new PutCommand({ TableName, Item: item, ...conditionFields(o.condition), ...(o.returnOld ? { ReturnValues: 'ALL_OLD' } : {}) })),
      );
      return out.Attributes;
    },
    async get(key, o = {}) {
      if (!isObject(key)) throw badArgument('get takes a key object.');
      const out = await doc.send(rt.prepare(new GetCommand({ TableName, Key: key, ...(o.consistentRead ? { ConsistentRead: true } : {}) })));
      return out.Item;
    },
    async delete(key, o = {}) {
      if (!isObject(key)) throw badArgument('delete takes a key object.');
      const out = await doc.send(
        rt.prepare(new DeleteCommand({ TableName, Key: key, ...conditionFields(o.condition), ...(o.returnOld ? { ReturnValues: 'ALL_OLD' } : {}) })),
      );
      return out.Attributes;
    },
    query: (p) => page(rt, p, true),
    queryPages: (p) => pages(rt, p, true),
    async queryAll(p) {
      const items: Item[] = [];
      for await (const pg of pages(rt, p, true)) items.push(...pg.items);
      return items;
    },
    scan: (p = {}) => page(rt, p, false),
    scanPages: (p = {}) => pages(rt, p, false),
    async batchGet(keys) {
      if (!isObjectList(keys)) throw badArgument('batchGet takes an array of keys.');
      return batchGet(rt, keys);
    },
    async batchWrite(requests) {
      const lists = isObject(requests) ? [requests.put ?? [], requests.delete ?? []] : [];
      if (lists.length === 0 || !lists.every((l) => isObjectList(l))) {
        throw badArgument('batchWrite takes { put?: items[], delete?: keys[] }.');
      }
      return batchWrite(rt, requests);
    },
    async transactGet(keys: readonly Key[]) {
      if (!isObjectList(keys)) throw badArgument('transactGet takes an array of keys.');
      checkCount('transactGet', keys.length, LIMITS.transaction);
      const out = await doc.send(rt.prepare(new TransactGetCommand({ TransactItems: keys.map((Key) => ({ Get: { TableName, Key } })) })));
      return (out.Responses ?? []).map((r) => r.Item);
    },
    async transactWrite(actions) {
      if (!isObjectList(actions)) throw badArgument('transactWrite takes an array of actions.');
      checkCount('transactWrite', actions.length, LIMITS.transaction);
      await doc.send(rt.prepare(new TransactWriteCommand({ TransactItems: actions.map((a) => transactItem(rt, a)) })));
    },
    async update(key, changes) {
      if (!isObject(key)) throw badArgument('update takes a key object.');
      if (!isObject(changes) && typeof changes !== 'function') throw badArgument('update takes changes as an object or a function.');
      return updateItem(rt, key, changes);
    },
    queryByBeacon: (name, value, o) => queryByBeacon(rt, name, value, o),
  };
}
