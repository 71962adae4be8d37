// The hierarchical key provider (@phiseal/keystore) behind every adapter: one envelope, one
// branch key per tenant, round trips through S3, SQS and DynamoDB against the emulator, and
// crypto-shredding a tenant makes its objects, messages and items unreadable.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, type AuditEvent, type Envelope } from '@phiseal/core';
import { encryptedTable } from '@phiseal/dynamodb';
import { createKeyStore, HierarchicalKeyProvider, type KeyStore, type KeyStoreAuditEvent } from '@phiseal/keystore';
import { encryptedS3 } from '@phiseal/s3';
import { encryptedQueue } from '@phiseal/sqs';
import {
  createBucket,
  createKmsKey,
  createQueue,
  createTable,
  dynamoClient,
  kmsClient,
  rejection,
  s3Client,
  sqsClient,
  uniqueName,
} from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let keyStore: KeyStore;
const tables: string[] = [];
const storeEvents: KeyStoreAuditEvent[] = [];
const tenants: Record<string, string> = {};

beforeAll(async () => {
  const tableName = uniqueName('ks-adapters');
  keyStore = createKeyStore({
    tableName,
    ddbClient: dynamoClient(),
    kmsClient: kmsClient(),
    kmsKeyArn: await createKmsKey('phiseal adapters key store'),
    audit: (e) => storeEvents.push(e),
  });
  await keyStore.createKeyStoreTable();
  tables.push(tableName);
  for (const tenant of ['clinic-north', 'clinic-south']) {
    tenants[tenant] = (await keyStore.createKey({ branchKeyId: `tenant-${Object.keys(tenants).length + 1}`, encryptionContext: { kind: 'tenant' } })).branchKeyId;
  }
});

afterAll(async () => {
  await Promise.all(tables.map((TableName) => dynamoClient().send(new DeleteTableCommand({ TableName }))));
});

/** A fresh process, as far as caches go: its own provider and no data-key cache. */
function tenantEnvelope(events: AuditEvent[] = []): Envelope {
  return createEnvelope({
    keys: new HierarchicalKeyProvider({ keyStore, branchKeyIdSupplier: (context) => tenants[context['tenant'] ?? ''] ?? 'unknown-tenant' }),
    cache: false,
    audit: (e) => events.push(e),
  });
}

describe('hierarchical keys through the adapters', () => {
  it('S3: objects round-trip per tenant and the audit stream names the branch key and version, never the tenant', async () => {
    const bucket = await createBucket();
    const events: AuditEvent[] = [];
    const s3 = encryptedS3({ client: s3Client(), envelope: tenantEnvelope(events) });
    await s3.putObject({ Bucket: bucket, Key: 'scan/1.dcm', Body: 'CT head, no bleed', context: { tenant: 'clinic-north' } });
    const out = await s3.getObject({ Bucket: bucket, Key: 'scan/1.dcm', context: { tenant: 'clinic-north' } });
    expect(await out.Body.transformToString()).toBe('CT head, no bleed');
    expect(events.map((e) => e.keyId)).toContain('tenant-1');
    const versions = storeEvents.filter((e) => e.operation.startsWith('hierarchy.') && e.branchKeyId === 'tenant-1');
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions.every((e) => typeof e.branchKeyVersion === 'string')).toBe(true);
    expect(JSON.stringify([events, storeEvents])).not.toContain('clinic-north'); // context values never appear
    await s3.putObject({ Bucket: bucket, Key: 'scan/2.dcm', Body: 'MRI knee', context: { tenant: 'clinic-south' } });
    expect(await (await s3.getObject({ Bucket: bucket, Key: 'scan/2.dcm', context: { tenant: 'clinic-south' } })).Body.transformToString()).toBe('MRI knee');
  });

  it('SQS: messages round-trip inline and through S3 under the tenant key', async () => {
    const queue = encryptedQueue({
      sqs: sqsClient(),
      s3: s3Client(),
      queueUrl: await createQueue(),
      payloadBucket: await createBucket(),
      envelope: tenantEnvelope(),
    });
    await queue.send('K+ 4.1 mmol/L', { context: { tenant: 'clinic-south' } });
    await queue.send('x'.repeat(300_000), { context: { tenant: 'clinic-south' } });
    const received = [];
    for (let i = 0; i < 5 && received.length < 2; i++) received.push(...(await queue.receive({ maxMessages: 10, waitSeconds: 1 })));
    expect(received.map((m) => m.body.length).sort((a, b) => a - b)).toEqual([13, 300_000]);
    for (const m of received) await queue.delete(m.receiptHandle);
  });

  it('DynamoDB: items round-trip under a fixed tenant branch key', async () => {
    const table = await createTable({ partitionKey: 'pk' });
    tables.push(table);
    const envelope = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId: tenants['clinic-north']! }), cache: false });
    const patients = encryptedTable({ tableName: table, partitionKey: 'pk', envelope, client: dynamoClient() });
    await patients.put({ pk: 'p-1', name: 'Ada Lovelace', mrn: '448812' });
    expect(await patients.get({ pk: 'p-1' })).toMatchObject({ pk: 'p-1', name: 'Ada Lovelace', mrn: '448812' });
  });

  it('crypto-shredding: after destroy every adapter refuses the tenant, the other tenant is untouched', async () => {
    const bucket = await createBucket();
    const table = await createTable({ partitionKey: 'pk' });
    tables.push(table);
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-9', encryptionContext: { kind: 'tenant' } });
    tenants['clinic-leaving'] = branchKeyId;
    const s3 = encryptedS3({ client: s3Client(), envelope: tenantEnvelope() });
    const ctx = { tenant: 'clinic-leaving' };
    await s3.putObject({ Bucket: bucket, Key: 'leaving.txt', Body: 'chart', context: ctx });
    await s3.putObject({ Bucket: bucket, Key: 'staying.txt', Body: 'chart', context: { tenant: 'clinic-north' } });
    const queue = encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl: await createQueue(), payloadBucket: bucket, envelope: tenantEnvelope() });
    await queue.send('discharge summary', { context: ctx });
    const itemEnvelope = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }), cache: false });
    const items = encryptedTable({ tableName: table, partitionKey: 'pk', envelope: itemEnvelope, client: dynamoClient() });
    await items.put({ pk: 'p-9', note: 'allergy: penicillin' });

    await keyStore.destroy(branchKeyId, { confirm: branchKeyId });

    // fresh providers (another process, or this one after its TTL)
    const later = encryptedS3({ client: s3Client(), envelope: tenantEnvelope() });
    expect((await rejection(later.getObject({ Bucket: bucket, Key: 'leaving.txt', context: ctx }))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect(await (await later.getObject({ Bucket: bucket, Key: 'staying.txt', context: { tenant: 'clinic-north' } })).Body.transformToString()).toBe('chart');
    const laterQueue = encryptedQueue({ sqs: sqsClient(), s3: s3Client(), queueUrl: queue.queueUrl, payloadBucket: bucket, envelope: tenantEnvelope() });
    expect((await rejection(laterQueue.receive({ maxMessages: 1, waitSeconds: 1 }))).code).toBe('BRANCH_KEY_NOT_FOUND');
    const laterItems = encryptedTable({
      tableName: table,
      partitionKey: 'pk',
      envelope: createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }), cache: false }),
      client: dynamoClient(),
    });
    expect((await rejection(laterItems.get({ pk: 'p-9' }))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect(storeEvents.filter((e) => e.operation === 'keystore.destroy').at(-1)).toMatchObject({ branchKeyId, outcome: 'success' });
  });
});
