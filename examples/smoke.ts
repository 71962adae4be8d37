// Smoke example: encrypt a lab result with the envelope alone, store the ciphertext in a
// DynamoDB string attribute, read it back and decrypt it. The smallest end-to-end check.
//
//   pnpm exec tsx examples/smoke.ts
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { createEnvelope } from '@phiseal/core';
import type { Environment } from './support/embedded.js';
import { assertNoPlaintext, inspectStored, type ExampleReport } from './support/report.js';
import { exampleName } from './support/resources.js';
import { isMain, runStandalone } from './support/standalone.js';

export async function run(env: Environment): Promise<ExampleReport> {
  const envelope = createEnvelope({ keys: env.keys });
  const ddb = new DynamoDBClient(env.aws);
  const table = exampleName('smoke');
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  try {
    await waitUntilTableExists({ client: ddb, maxWaitTime: 300, minDelay: 1 }, { TableName: table });
    const record = JSON.stringify({ patient: 'Jane Doe', mrn: '448812', test: 'HbA1c', value: '6.1%' });
    const sealed = await envelope.encryptToString(record, { context: { service: 'lab-results' } });
    await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'result-0001' }, result: { S: sealed } } }));
    const stored = (await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'result-0001' } } }))).Item?.['result']?.S ?? '';
    const { plaintext } = await envelope.decrypt(stored, { context: { service: 'lab-results' } });
    if (Buffer.from(plaintext).toString('utf8') !== record) throw new Error('the record did not round-trip');
    env.log('encrypted, stored, read back and decrypted one lab result');
    const phiValues = ['Jane Doe', '448812', 'HbA1c'];
    return assertNoPlaintext({
      example: 'smoke',
      stored: [inspectStored({ service: 'DynamoDB', location: `${table} id=result-0001`, what: 'attribute result' }, stored, phiValues)],
      phiValuesChecked: phiValues.length,
    });
  } finally {
    envelope.destroy();
    await ddb.send(new DeleteTableCommand({ TableName: table }));
  }
}

if (isMain(import.meta.url)) await runStandalone(run);
