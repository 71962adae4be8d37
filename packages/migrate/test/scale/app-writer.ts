// The application during the scale test: keeps overwriting random records with new values,
// encrypted (the 'write-encrypted' switch-over stage), never two writes to one record at once,
// and logs each write only once it is acknowledged: `d|s <index> <value>` per line. SIGTERM
// stops it after the writes in flight.
import { appendFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { encryptItem } from '@phiseal/dynamodb';
import { encryptedS3 } from '@phiseal/s3';
import { itemKey, objectKey } from './records.js';

const [keyFile, tableName, bucket, log, itemsText, objectsText] = process.argv.slice(2) as [string, string, string, string, string, string];
const items = Number(itemsText);
const objects = Number(objectsText);
const envelope = createEnvelope({ keys: LocalKeyProvider.fromFile(keyFile) });
const table = { tableName, partitionKey: 'pk', envelope };
const ddb = new DynamoDBClient({});
const s3 = encryptedS3({ client: new S3Client({ forcePathStyle: true }), envelope });
let stopping = false;
process.once('SIGTERM', () => (stopping = true));
const busy = new Set<string>();
let n = 0;

async function lane(): Promise<void> {
  while (!stopping) {
    const dynamo = Math.random() < 0.6;
    const index = Math.floor(Math.random() * (dynamo ? items : objects));
    const id = `${dynamo ? 'd' : 's'}${index}`;
    if (busy.has(id)) continue;
    busy.add(id);
    const value = `app ${n++}`;
    try {
      if (dynamo) {
        const stored = await encryptItem({ pk: { S: itemKey(index) }, note: { S: value } }, table);
        await ddb.send(new PutItemCommand({ TableName: tableName, Item: stored }));
      } else {
        await s3.putObject({ Bucket: bucket, Key: objectKey(index), Body: value });
      }
      appendFileSync(log, `${dynamo ? 'd' : 's'} ${index} ${value}\n`);
    } catch {
      // Not acknowledged: not logged. (The value may or may not be stored; a later write to
      // the same record, or none, decides what the check expects: see the test.)
      appendFileSync(log, `? ${dynamo ? 'd' : 's'} ${index} ${value}\n`);
    } finally {
      busy.delete(id);
    }
  }
}

await Promise.all([lane(), lane(), lane(), lane()]);
