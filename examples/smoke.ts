// Smoke example: encrypt a lab result with phiseal, store the ciphertext in DynamoDB,
// read it back and decrypt it. Runs on the embedded default (local key + emulator).
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope } from '@phiseal/core';
import { embeddedDefault } from './support/embedded.js';

const env = await embeddedDefault();
try {
  console.log(`phiseal smoke example on ${env.description}`);
  const envelope = createEnvelope({ keys: env.keys });
  const ddb = new DynamoDBClient(env.aws);
  const table = `phiseal-smoke-${Date.now()}`;
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  const record = JSON.stringify({ patient: 'Jane Doe', mrn: '448812', test: 'HbA1c', value: '6.1%' });
  const sealed = await envelope.encryptToString(record, { context: { service: 'lab-results' } });
  await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'result-0001' }, result: { S: sealed } } }));
  const stored = await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'result-0001' } } }));
  const storedValue = stored.Item?.['result']?.S ?? '';
  console.log(`stored in DynamoDB (${storedValue.length} chars): ${storedValue.slice(0, 60)}…`);
  console.log(`plaintext visible in the stored item: ${storedValue.includes('Jane') ? 'YES (bug)' : 'no'}`);
  const { plaintext } = await envelope.decrypt(storedValue, { context: { service: 'lab-results' } });
  console.log(`decrypted: ${Buffer.from(plaintext).toString('utf8')}`);
  envelope.destroy();
} finally {
  await env.stop();
}
