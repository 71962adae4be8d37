// Every DynamoDB call of encryptedTable, through the fault proxy: fails once transiently,
// persistently, and with its answer lost (test-support's faultMatrix). Checks: reads return
// exactly what was written, an acknowledged write is stored, a failed one is absent or whole.
import { createEnvelope, KmsKeyProvider, PhisealError } from '@phiseal/core';
import { encryptedTable, type EncryptedTable } from '@phiseal/dynamodb';
import {
  awsClientConfig,
  createKmsKey,
  createTable,
  faultMatrix,
  kmsClient,
  proxiedClients,
  startFaultProxy,
  type FaultProxy,
  type MatrixCall,
  type Outcome,
  type Scenario,
} from '@phiseal/test-support';
import { afterAll, beforeAll, expect } from 'vitest';
import { rawClient } from './helpers.js';

let proxy: FaultProxy;
let through: EncryptedTable;
let direct: EncryptedTable;
let seq = 0;
beforeAll(async () => {
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 37 });
  const [table, keyId] = await Promise.all([createTable({ partitionKey: 'pk' }), createKmsKey('dynamodb fault matrix')]);
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) });
  const config = { tableName: table, partitionKey: 'pk', envelope, retry: { baseDelayMs: 5 } };
  through = encryptedTable({ ...config, client: proxiedClients(proxy, { maxAttempts: 3 }).dynamodb });
  direct = encryptedTable({ ...config, client: rawClient() });
});
afterAll(() => proxy.stop());

const item = (pk: string) => ({ pk, name: `Patient ${pk}`, note: 'x'.repeat(50) });

/** A write: stored and right after success; after a failure absent, or (answer lost) whole and right. */
function write(name: string, operation: string, run: (pk: string) => Promise<unknown>): MatrixCall {
  return {
    name,
    service: 'dynamodb',
    operation,
    prepare: () => {
      const pk = `w${seq++}`;
      return Promise.resolve({
        act: () => run(pk),
        check: async (outcome: Outcome, scenario: Scenario) => {
          const stored = await direct.get({ pk });
          if (outcome.ok) expect(stored).toEqual(item(pk));
          else if (stored !== undefined) expect(stored).toEqual(item(pk));
          // A write whose answer was lost says so (the batch reports unprocessed items instead).
          if (!outcome.ok && scenario === 'lost' && name !== 'batchWrite') expect(PhisealError.is(outcome.error) && outcome.error.details['outcome']).toBe('unknown');
        },
      });
    },
  };
}

/** A read of items written beforehand: exactly them, or a typed failure. */
function read(name: string, operation: string, run: (pks: string[]) => Promise<unknown[]>): MatrixCall {
  return {
    name,
    service: 'dynamodb',
    operation,
    prepare: async () => {
      const pks = [`r${seq++}`, `r${seq++}`];
      for (const pk of pks) await direct.put(item(pk));
      return {
        act: () => run(pks),
        check: (outcome: Outcome) => {
          if (outcome.ok) expect(outcome.value).toEqual(pks.map(item));
          return Promise.resolve();
        },
      };
    },
  };
}

const byPk = (items: Array<Record<string, unknown>>): unknown[] => [...items].sort((a, b) => String(a['pk']).localeCompare(String(b['pk'])));

faultMatrix(() => proxy, [
  write('put', 'PutItem', (pk) => through.put(item(pk))),
  write('transactWrite', 'TransactWriteItems', (pk) => through.transactWrite([{ put: item(pk) }])),
  write('batchWrite', 'BatchWriteItem', async (pk) => {
    const out = await through.batchWrite({ put: [item(pk)] });
    if (out.unprocessedPuts.length > 0) throw new Error('unprocessed');
  }),
  read('get', 'GetItem', async (pks) => Promise.all(pks.map((pk) => through.get({ pk })))),
  read('batchGet', 'BatchGetItem', async (pks) => byPk((await through.batchGet(pks.map((pk) => ({ pk })))).items)),
  read('query', 'Query', async (pks) =>
    Promise.all(pks.map(async (pk) => (await through.query({ keyCondition: { expression: 'pk = :p', values: { ':p': pk } } })).items[0])),
  ),
  {
    name: 'delete',
    service: 'dynamodb',
    operation: 'DeleteItem',
    prepare: async () => {
      const pk = `d${seq++}`;
      await direct.put(item(pk));
      return {
        act: () => through.delete({ pk }),
        check: async (outcome: Outcome) => {
          if (outcome.ok) expect(await direct.get({ pk })).toBeUndefined();
        },
      };
    },
  },
]);
