import { fileURLToPath } from 'node:url';
import { BranchKeyStoreNode, buildClient, CommitmentPolicy, KmsHierarchicalKeyRingNode } from '@aws-crypto/client-node';
import { createEnvelope, type Envelope } from '@phiseal/core';
import { rejection, runPythonPeer, uniqueName } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyStore, HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { countingClients, dropTables, newStore, storeKmsKey, trackTable } from './fixtures.js';

// phiseal next to the official SDKs on one key store, against the emulator:
// - Python: aws-cryptographic-material-providers 1.11.x key store and the aws-encryption-sdk 4.x
//   hierarchical keyring (keystore_peer.py, one Python process per batch of steps);
// - JavaScript: @aws-crypto/client-node 5 with KmsHierarchicalKeyRingNode.
// Branch keys, versions and beacon keys match byte for byte; Encryption SDK messages cross
// every way; after versionKey old messages still open; after destroy everyone refuses.
const peer = fileURLToPath(new URL('./keystore_peer.py', import.meta.url));
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

type Result = Record<string, unknown> & { error?: string };

async function python(store: string[], steps: unknown[][]): Promise<Result[]> {
  const out = await runPythonPeer(peer, [...store, JSON.stringify(steps)]);
  if (out.code !== 0) throw new Error(`python peer failed (${out.code}): ${out.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(out.stdout) as Result[];
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const text = (r: Result | undefined): string => Buffer.from(String(r?.['plaintext']), 'hex').toString();

/** A phiseal envelope as a fresh process has it (no cached branch or data keys). */
function phiseal(keyStore: KeyStore, branchKeyId: string, signed = false): Envelope {
  return createEnvelope({
    keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }),
    cache: false,
    format: 'esdk',
    ...(signed ? { algorithmSuite: 'committing-signed' as const } : {}),
  });
}

/** The AWS JavaScript SDK's hierarchical keyring on the same table. */
function jsKeyring(tableName: string, logicalKeyStoreName: string, kmsKeyArn: string, branchKeyId: string): KmsHierarchicalKeyRingNode {
  const { ddb, kms } = countingClients();
  const store = new BranchKeyStoreNode({
    logicalKeyStoreName,
    storage: { ddbTableName: tableName, ddbClient: ddb },
    keyManagement: { kmsClient: kms },
    kmsConfiguration: { identifier: kmsKeyArn },
  });
  return new KmsHierarchicalKeyRingNode({ branchKeyId, keyStore: store, cacheLimitTtl: 600 });
}

afterAll(dropTables);

describe('interop with the Python and JavaScript SDKs on one key store', () => {
  it('a key store and branch key made by Python: phiseal reads and rotates it; messages cross both ways; destroy shreds for Python too', async () => {
    const table = uniqueName('pyks');
    const arn = await storeKmsKey();
    const base = [table, 'py-logical', arn];
    const context = { tenant: 'clinic-17', purpose: 'interop' };
    const [made, key, active, beacon, message] = await python(base, [
      ['create-table'],
      ['create-key', 'tenant-py', { department: 'lab' }],
      ['get-active', 'tenant-py'],
      ['get-beacon', 'tenant-py'],
      ['esdk-encrypt', 'tenant-py', context, hex(Buffer.from('from python'))],
    ]);
    trackTable(table);
    expect(made!.error ?? key!.error ?? message!.error).toBeUndefined();
    const { ddb, kms } = countingClients();
    const keyStore = createKeyStore({ tableName: table, logicalKeyStoreName: 'py-logical', ddbClient: ddb, kmsClient: kms, kmsKeyArn: arn });
    expect((await keyStore.createKeyStoreTable()).created).toBe(false);
    const ours = await keyStore.getActiveBranchKey('tenant-py');
    expect(ours.branchKeyVersion).toBe(active!['version']);
    expect(hex(ours.key)).toBe(active!['key']);
    expect(ours.encryptionContext).toEqual({ department: 'lab' });
    expect(hex((await keyStore.getBeaconKey('tenant-py')).key)).toBe(beacon!['key']);

    // Python's message (its default suite signs: the context carries aws-crypto-public-key)
    const pythonMessage = Buffer.from(String(message!['message']), 'hex');
    const opened = await phiseal(keyStore, 'tenant-py').decrypt(pythonMessage, { context });
    expect(Buffer.from(opened.plaintext).toString()).toBe('from python');
    expect(opened.keyId).toBe('tenant-py');

    // phiseal writes under version 1, rotates, writes under version 2; Python opens both
    const before = await phiseal(keyStore, 'tenant-py', true).encrypt('before rotation', { context });
    await keyStore.versionKey('tenant-py');
    const after = await phiseal(keyStore, 'tenant-py').encrypt('after rotation', { context });
    const [old, rotated, b, a] = await python(base, [
      ['get-version', 'tenant-py', active!['version']],
      ['get-active', 'tenant-py'],
      ['esdk-decrypt', 'tenant-py', hex(before)],
      ['esdk-decrypt', 'tenant-py', hex(after)],
    ]);
    expect(old!['key']).toBe(active!['key']);
    expect(rotated!['version']).not.toBe(active!['version']);
    expect(text(b)).toBe('before rotation');
    expect(text(a)).toBe('after rotation');
    expect(b!['context']).toMatchObject(context);
    // and phiseal still opens Python's message made under the old version
    expect(Buffer.from((await phiseal(keyStore, 'tenant-py').decrypt(pythonMessage)).plaintext).toString()).toBe('from python');

    // crypto-shredding: after destroy Python refuses the key and every message, and so does phiseal
    await keyStore.destroy('tenant-py', { confirm: 'tenant-py' });
    const shredded = await python(base, [['get-active', 'tenant-py'], ['esdk-decrypt', 'tenant-py', hex(before)], ['esdk-decrypt', 'tenant-py', hex(pythonMessage)]]);
    expect(shredded.map((r) => typeof r.error)).toEqual(['string', 'string', 'string']);
    expect((await rejection(phiseal(keyStore, 'tenant-py').decrypt(pythonMessage))).code).toBe('BRANCH_KEY_NOT_FOUND');
    expect((await rejection(phiseal(keyStore, 'tenant-py').decrypt(after))).code).toBe('BRANCH_KEY_NOT_FOUND');
  });

  it('a branch key made by phiseal: Python and the JS SDK read it and rotate it; messages cross every way', async () => {
    const { keyStore } = await newStore({ logicalKeyStoreName: 'js-logical' });
    const base = [keyStore.tableName, 'js-logical', keyStore.kmsKeyArn];
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-js', encryptionContext: { region: 'north' } });
    const ours = await keyStore.getActiveBranchKey(branchKeyId);
    const context = { tenant: 'clinic-9' };
    const sealed = await phiseal(keyStore, branchKeyId).encrypt('from phiseal', { context });
    const [active, beacon, decrypted, , fromPython] = await python(base, [
      ['get-active', branchKeyId],
      ['get-beacon', branchKeyId],
      ['esdk-decrypt', branchKeyId, hex(sealed)],
      ['version-key', branchKeyId],
      ['esdk-encrypt', branchKeyId, context, hex(Buffer.from('from python, rotated'))],
    ]);
    expect(active).toMatchObject({ version: ours.branchKeyVersion, key: hex(ours.key), context: { region: 'north' } });
    expect(beacon!['key']).toBe(hex((await keyStore.getBeaconKey(branchKeyId)).key));
    expect(text(decrypted)).toBe('from phiseal');
    expect((await keyStore.getActiveBranchKey(branchKeyId)).branchKeyVersion).not.toBe(ours.branchKeyVersion);
    const opened = await phiseal(keyStore, branchKeyId).decrypt(Buffer.from(String(fromPython!['message']), 'hex'), { context });
    expect(Buffer.from(opened.plaintext).toString()).toBe('from python, rotated');

    // the AWS JavaScript SDK: its keyring opens phiseal's messages, phiseal opens its messages
    const keyring = jsKeyring(keyStore.tableName, 'js-logical', keyStore.kmsKeyArn, branchKeyId);
    expect((await esdk.decrypt(keyring, sealed)).plaintext.toString()).toBe('from phiseal');
    const signed = await phiseal(keyStore, branchKeyId, true).encrypt('signed, from phiseal', { context });
    expect((await esdk.decrypt(keyring, signed)).plaintext.toString()).toBe('signed, from phiseal');
    const fromJs = await esdk.encrypt(keyring, Buffer.from('from the JS SDK'), { encryptionContext: context });
    expect(Buffer.from((await phiseal(keyStore, branchKeyId).decrypt(fromJs.result, { context })).plaintext).toString()).toBe('from the JS SDK');

    await keyStore.destroy(branchKeyId, { confirm: branchKeyId });
    const after = await python(base, [['get-active', branchKeyId], ['get-version', branchKeyId, ours.branchKeyVersion], ['esdk-decrypt', branchKeyId, hex(sealed)]]);
    expect(after.map((r) => typeof r.error)).toEqual(['string', 'string', 'string']);
    const freshKeyring = jsKeyring(keyStore.tableName, 'js-logical', keyStore.kmsKeyArn, branchKeyId);
    await expect(esdk.decrypt(freshKeyring, sealed)).rejects.toThrow();
    expect((await rejection(phiseal(keyStore, branchKeyId).decrypt(fromJs.result))).code).toBe('BRANCH_KEY_NOT_FOUND');
  });
});
