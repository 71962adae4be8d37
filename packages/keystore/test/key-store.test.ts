import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { awsClientConfig, createTable, rejection } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '@phiseal/keystore';
import { dropTables, newStore, reset, storeKmsKey, trackTable } from './fixtures.js';

const ddb = new DynamoDBClient(awsClientConfig());
const kms = new KMSClient(awsClientConfig());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterAll(dropTables);

async function item(tableName: string, id: string, type: string) {
  const out = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { 'branch-key-id': { S: id }, type: { S: type } } }));
  return out.Item!;
}

describe('key-store table', () => {
  it('creates the spec table once and accepts it again; refuses a table with another key schema', async () => {
    const { keyStore } = await newStore();
    expect((await keyStore.createKeyStoreTable()).created).toBe(false);
    const other = await createTable({ partitionKey: 'pk' });
    trackTable(other);
    const wrong = createKeyStore({ tableName: other, ddbClient: ddb, kmsClient: kms, kmsKeyArn: await storeKmsKey() });
    expect((await rejection(wrong.createKeyStoreTable())).code).toBe('INVALID_CONFIGURATION');
  });

  it('refuses an alias instead of a key ARN, and PHI in names', async () => {
    const base = { tableName: 'keys', ddbClient: ddb, kmsClient: kms };
    expect(() => createKeyStore({ ...base, kmsKeyArn: 'alias/phi' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    const kmsKeyArn = await storeKmsKey();
    expect(() => createKeyStore({ ...base, kmsKeyArn, logicalKeyStoreName: 'ssn-123-45-6789' })).toThrow(
      expect.objectContaining({ code: 'PHI_DETECTED' }),
    );
  });
});

describe('createKey', () => {
  it('writes the three records of the spec, each KMS-encrypted under its record as context', async () => {
    const { keyStore, counts } = await newStore({ logicalKeyStoreName: 'logical-ks' });
    reset(counts);
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-0042', encryptionContext: { department: 'lab' } });
    expect(branchKeyId).toBe('tenant-0042');
    // spec: GenerateDataKeyWithoutPlaintext (version), ReEncrypt (active), GenerateDataKeyWithoutPlaintext (beacon), one transaction
    expect(counts).toMatchObject({ GenerateDataKeyWithoutPlaintext: 2, ReEncrypt: 1, TransactWriteItems: 1 });
    expect(counts['Decrypt']).toBeUndefined();
    const active = await item(keyStore.tableName, branchKeyId, 'branch:ACTIVE');
    const versionType = active['version']!.S!;
    expect(versionType).toMatch(/^branch:version:/);
    expect(versionType.slice('branch:version:'.length)).toMatch(UUID);
    const version = await item(keyStore.tableName, branchKeyId, versionType);
    const beacon = await item(keyStore.tableName, branchKeyId, 'beacon:ACTIVE');
    for (const record of [active, version, beacon]) {
      expect(record['hierarchy-version']).toEqual({ N: '1' });
      expect(record['kms-arn']).toEqual({ S: keyStore.kmsKeyArn });
      expect(record['aws-crypto-ec:department']).toEqual({ S: 'lab' });
      expect(record['create-time']!.S).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(record['tablename']).toBeUndefined();
      // the KMS encryption context is every attribute but enc, plus tablename = logical name
      const context: Record<string, string> = { tablename: 'logical-ks' };
      for (const [k, v] of Object.entries(record)) if (k !== 'enc') context[k] = v.S ?? v.N!;
      const out = await kms.send(new DecryptCommand({ CiphertextBlob: record['enc']!.B!, EncryptionContext: context, KeyId: keyStore.kmsKeyArn }));
      expect(out.Plaintext).toHaveLength(32);
    }
    const a = await keyStore.getActiveBranchKey(branchKeyId);
    const v = await keyStore.getBranchKeyVersion(branchKeyId, a.branchKeyVersion);
    const b = await keyStore.getBeaconKey(branchKeyId);
    expect(Buffer.from(a.key).equals(Buffer.from(v.key))).toBe(true);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(a.encryptionContext).toEqual({ department: 'lab' });
  });

  it('generates a UUID id when none is given; refuses an id without context, PHI ids and a second create', async () => {
    const { keyStore } = await newStore();
    expect((await keyStore.createKey()).branchKeyId).toMatch(UUID);
    expect((await rejection(keyStore.createKey({ branchKeyId: 'tenant-1' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(keyStore.createKey({ branchKeyId: 'jane.doe@example.com', encryptionContext: { a: 'b' } }))).code).toBe('PHI_DETECTED');
    expect((await rejection(keyStore.createKey({ branchKeyId: 't', encryptionContext: { note: 'MRN 448812' } }))).code).toBe('PHI_DETECTED');
    await keyStore.createKey({ branchKeyId: 'tenant-2', encryptionContext: { a: 'b' } });
    // the conditional write refuses to overwrite: DynamoDB's own error reaches the caller
    const again = await rejection(keyStore.createKey({ branchKeyId: 'tenant-2', encryptionContext: { a: 'b' } }));
    expect((again as unknown as Error).name).toBe('TransactionCanceledException');
  });
});

describe('versionKey', () => {
  it('makes a new active version and keeps the old one readable', async () => {
    const { keyStore, events } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const first = await keyStore.getActiveBranchKey(branchKeyId);
    await keyStore.versionKey(branchKeyId);
    const second = await keyStore.getActiveBranchKey(branchKeyId);
    expect(second.branchKeyVersion).not.toBe(first.branchKeyVersion);
    const old = await keyStore.getBranchKeyVersion(branchKeyId, first.branchKeyVersion);
    expect(Buffer.from(old.key).equals(Buffer.from(first.key))).toBe(true);
    expect(Buffer.from(second.key).equals(Buffer.from(first.key))).toBe(false);
    expect(events.map((e) => e.operation)).toContain('keystore.versionKey');
    expect((await rejection(keyStore.versionKey('no-such-key'))).code).toBe('BRANCH_KEY_NOT_FOUND');
  });
});

describe('hostile records', () => {
  it('refuses missing, altered, foreign and extended records with typed codes', async () => {
    const { keyStore } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const T = keyStore.tableName;
    const key = { 'branch-key-id': { S: branchKeyId }, type: { S: 'branch:ACTIVE' } };
    expect((await rejection(keyStore.getActiveBranchKey('missing'))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect((await rejection(keyStore.getBranchKeyVersion(branchKeyId, 'not-a-uuid'))).code).toBe('INVALID_ARGUMENT');
    // an altered attribute is part of the KMS context: KMS refuses, the record is invalid
    await ddb.send(new UpdateItemCommand({ TableName: T, Key: key, UpdateExpression: 'SET #c = :c', ExpressionAttributeNames: { '#c': 'create-time' }, ExpressionAttributeValues: { ':c': { S: '2020-01-01T00:00:00.000000Z' } } }));
    expect((await rejection(keyStore.getActiveBranchKey(branchKeyId))).code).toBe('KEYSTORE_RECORD_INVALID');
    // an attribute outside the record format
    const beacon = await item(T, branchKeyId, 'beacon:ACTIVE');
    await ddb.send(new PutItemCommand({ TableName: T, Item: { ...beacon, extra: { S: 'x' } } }));
    expect((await rejection(keyStore.getBeaconKey(branchKeyId))).code).toBe('KEYSTORE_RECORD_INVALID');
    // a record naming another KMS key is refused before any KMS call
    await ddb.send(new PutItemCommand({ TableName: T, Item: { ...beacon, 'kms-arn': { S: 'arn:aws:kms:us-east-1:111122223333:key/other' } } }));
    expect((await rejection(keyStore.getBeaconKey(branchKeyId))).code).toBe('KEY_NOT_ALLOWED');
    // wrong types
    await ddb.send(new PutItemCommand({ TableName: T, Item: { ...beacon, 'hierarchy-version': { S: '1' } } }));
    expect((await rejection(keyStore.getBeaconKey(branchKeyId))).code).toBe('KEYSTORE_RECORD_INVALID');
  });

  it('refuses a store opened under another logical name (KMS context differs)', async () => {
    const { keyStore, options } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const other = createKeyStore({ ...options, logicalKeyStoreName: 'someone-else' });
    expect((await rejection(other.getActiveBranchKey(branchKeyId))).code).toBe('KEYSTORE_RECORD_INVALID');
  });
});

describe('KMS failures', () => {
  it('a KMS key that does not exist is KMS_KEY_UNUSABLE (not retryable), with the SDK error as cause', async () => {
    // (moto ignores DisableKey for cryptographic operations, so a missing key stands in for an unusable one)
    const missing = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000';
    const { keyStore } = await newStore({ kmsKeyArn: missing });
    const created = (await rejection(keyStore.createKey())) as { code?: string; retryable?: boolean; cause?: Error };
    expect(created.code).toBe('KMS_KEY_UNUSABLE');
    expect(created.retryable).toBe(false);
    expect(created.cause?.name).toBe('NotFoundException');
  });
});

describe('destroy (crypto-shredding)', () => {
  it('refuses without the confirmation, then deletes every record and is audited', async () => {
    const { keyStore, events } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    await keyStore.versionKey(branchKeyId);
    const keep = (await keyStore.createKey()).branchKeyId;
    expect((await rejection(keyStore.destroy(branchKeyId, undefined as never))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(keyStore.destroy(branchKeyId, { confirm: keep }))).code).toBe('INVALID_ARGUMENT');
    expect((await keyStore.listBranchKeys()).map((k) => k.branchKeyId).sort()).toEqual([branchKeyId, keep].sort());
    const { deletedItems } = await keyStore.destroy(branchKeyId, { confirm: branchKeyId });
    expect(deletedItems).toBe(4); // active, two versions, beacon
    const left = await ddb.send(new QueryCommand({ TableName: keyStore.tableName, KeyConditionExpression: '#id = :id', ExpressionAttributeNames: { '#id': 'branch-key-id' }, ExpressionAttributeValues: { ':id': { S: branchKeyId } } }));
    expect(left.Count).toBe(0);
    expect((await rejection(keyStore.getActiveBranchKey(branchKeyId))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect((await rejection(keyStore.getBeaconKey(branchKeyId))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect((await keyStore.getActiveBranchKey(keep)).key).toHaveLength(32);
    expect(events.find((e) => e.operation === 'keystore.destroy')).toMatchObject({ branchKeyId, deletedItems: 4, outcome: 'success' });
    const list = await keyStore.listBranchKeys();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ branchKeyId: keep, hasBeaconKey: true });
    expect(list[0]!.versions).toContain(list[0]!.activeVersion);
  });
});

describe('audit', () => {
  it('names ids and versions, never key bytes or context values', async () => {
    const { keyStore, events } = await newStore();
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-audit', encryptionContext: { region: 'north-7' } });
    const active = await keyStore.getActiveBranchKey(branchKeyId);
    const text = JSON.stringify(events);
    expect(text).not.toContain('north-7');
    expect(text).not.toContain(Buffer.from(active.key).toString('hex'));
    expect(events.find((e) => e.operation === 'keystore.getActiveBranchKey')).toMatchObject({ branchKeyId, branchKeyVersion: active.branchKeyVersion });
  });
});
