// @phiseal/keystore: Encryption SDK messages whose data key is wrapped by the hierarchical
// keyring (aws-kms-hierarchy EDK: salt, IV, branch key version, wrapped key, tag) on a branch
// key store in the emulator, read by envelope.decrypt; and the key-store record parser, which
// reads DynamoDB items before KMS has vouched for them.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createEnvelope, PhisealError, type Envelope } from '@phiseal/core';
import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
import { createKmsKey, dynamoClient, kmsClient, uniqueName } from '@phiseal/test-support';
import { parseRecord } from '../../../packages/keystore/src/internal/record.js';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

const CONTEXT = { tenant: 'clinic-a', purpose: 'fuzz' };
const encoder = new TextEncoder();

function hierarchyMessages(): FuzzTarget {
  let envelope: Envelope | undefined;
  let tableName = '';
  return {
    name: 'keystore-hierarchy-message',
    description: 'ESDK messages with an aws-kms-hierarchy wrapped key (branch key in the emulator), read by envelope.decrypt',
    needsEmulator: true,
    ciCount: 150,
    async samples() {
      tableName = uniqueName('fuzz-ks');
      const keyStore = createKeyStore({ tableName, ddbClient: dynamoClient(), kmsClient: kmsClient(), kmsKeyArn: await createKmsKey('fuzz key store') });
      await keyStore.createKeyStoreTable();
      const { branchKeyId } = await keyStore.createKey();
      // No data-key cache: every mutated message goes through the provider's unwrap.
      envelope = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }), cache: false, format: 'esdk' });
      const out: Sample[] = [];
      for (const [i, text] of ['', 'MRN 448812 glucose 5.4'].entries()) {
        const plaintext = encoder.encode(text);
        out.push({ label: `hierarchy-${i}`, input: await envelope.encrypt(plaintext, { context: CONTEXT }), expected: { plaintext, context: CONTEXT } });
      }
      return out;
    },
    async open(input) {
      if (!(input instanceof Uint8Array)) throw new PhisealError('INVALID_ARGUMENT', 'not a message');
      const { plaintext, context } = await envelope!.decrypt(input);
      return { plaintext, context };
    },
    async close() {
      envelope?.destroy();
      if (tableName) await dynamoClient().send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
}

// A record as DynamoDB returns it; the fuzzer mutates names, types and values.
const record: Doc = {
  'branch-key-id': { S: 'tenant-0042' },
  type: { S: 'branch:ACTIVE' },
  version: { S: 'branch:version:5f0b1a3c-9d2e-4f61-8a7b-2c3d4e5f6a7b' },
  enc: { B: new Uint8Array(184).fill(7) },
  'create-time': { S: '2026-12-01T01:47:17.123000Z' },
  'hierarchy-version': { N: '1' },
  'kms-arn': { S: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  'aws-crypto-ec:department': { S: 'lab' },
};

const recordParser: FuzzTarget = {
  name: 'parse-keystore-record',
  description: 'keystore: a branch key record from DynamoDB before KMS authenticates it (parseRecord)',
  parserOnly: true,
  ciCount: 400,
  samples: () => Promise.resolve([{ label: 'active-record', input: record }]),
  open(input) {
    if (typeof input !== 'object' || input === null || input instanceof Uint8Array || Array.isArray(input)) {
      return Promise.reject(new PhisealError('INVALID_ARGUMENT', 'not an item'));
    }
    return Promise.resolve(parseRecord(input as never, { branchKeyId: 'tenant-0042', type: 'branch:ACTIVE', logicalKeyStoreName: 'fuzz' }));
  },
};

export const targets: readonly FuzzTarget[] = [hierarchyMessages(), recordParser];
