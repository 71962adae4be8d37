// The application during rewrap-table-writer.test.ts, in a process of its own: keeps
// overwriting random items of a table with new `note` values encrypted under the key in
// `keyFile` (an application not yet moved to the new key), never two writes to one item at
// once, and logs each write only once it is acknowledged (`<index> <value>`), an unacknowledged
// one as `? <index> <value>`. After `ready` writes it creates `readyFile`; SIGTERM stops it after
// the writes in flight.
import { appendFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { encryptItem } from '@phiseal/dynamodb';
import { keyOf } from './item-keys.js';

const [endpoint, keyFile, tableName, log, itemsText, readyFile] = process.argv.slice(2) as [string, string, string, string, string, string];
const items = Number(itemsText);
const table = { tableName, partitionKey: 'pk', actions: { note: 'sign' as const }, envelope: createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) }) };
const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
let stopping = false;
process.once('SIGTERM', () => (stopping = true));
const busy = new Set<number>();
let n = 0;

async function lane(): Promise<void> {
  while (!stopping) {
    const index = Math.floor(Math.random() * items);
    if (busy.has(index)) continue;
    busy.add(index);
    const value = `app ${n++}`;
    try {
      const stored = await encryptItem({ pk: { S: keyOf(index) }, note: { S: value } }, table);
      await ddb.send(new PutItemCommand({ TableName: tableName, Item: stored }));
      appendFileSync(log, `${index} ${value}\n`);
      if (n === 20) writeFileSync(readyFile, '');
    } catch {
      // Not acknowledged: the value may or may not be stored (see the test).
      appendFileSync(log, `? ${index} ${value}\n`);
    } finally {
      busy.delete(index);
    }
  }
}

await Promise.all([lane(), lane(), lane()]);
