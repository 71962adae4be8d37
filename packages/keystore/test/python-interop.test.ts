import { fileURLToPath } from 'node:url';
import { buildClient, CommitmentPolicy } from '@aws-crypto/client-node';
import { runPythonPeer, uniqueName } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
import { PhisealKeyringNode } from './esdk-bridge.js';
import { countingClients, dropTables, newStore, storeKmsKey, trackTable } from './fixtures.js';

// The official Python key store (aws-cryptographic-material-providers 1.11.x) and Encryption
// SDK 4.x hierarchical keyring, and phiseal, on one table: each reads the other's branch keys,
// versions and beacon keys byte for byte, and the other's wrapped data keys inside ESDK
// messages (framed here by the JavaScript ESDK around phiseal's provider: see esdk-bridge.ts).
const peer = fileURLToPath(new URL('./keystore_peer.py', import.meta.url));
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

type Result = Record<string, unknown> & { error?: string };

async function python(store: string[], steps: unknown[][]): Promise<Result[]> {
  const out = await runPythonPeer(peer, [...store, JSON.stringify(steps)]);
  if (out.code !== 0) throw new Error(`python peer failed (${out.code}): ${out.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(out.stdout) as Result[];
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

afterAll(dropTables);

describe('interop with the Python Material Providers key store and Encryption SDK', () => {
  it('a key store and branch key made by Python: phiseal reads, rotates and decrypts Python messages; Python decrypts phiseal-wrapped ones', async () => {
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

    // Python's message (default signing committing suite): its hierarchy EDK unwraps with phiseal's provider
    const keyring = new PhisealKeyringNode(new HierarchicalKeyProvider({ keyStore, branchKeyId: 'tenant-py' }));
    const opened = await esdk.decrypt(keyring, Buffer.from(message!['message'] as string, 'hex'));
    expect(opened.plaintext.toString()).toBe('from python');
    expect(opened.messageHeader.encryptionContext).toMatchObject(context);

    // phiseal rotates the Python-made key, wraps under the new version; Python reads both
    const before = await esdk.encrypt(keyring, Buffer.from('before rotation'), { encryptionContext: context });
    await keyStore.versionKey('tenant-py');
    const rotatedKeyring = new PhisealKeyringNode(new HierarchicalKeyProvider({ keyStore, branchKeyId: 'tenant-py' }));
    const after = await esdk.encrypt(rotatedKeyring, Buffer.from('after rotation'), { encryptionContext: context });
    const [old, rotated, b, a] = await python(base, [
      ['get-version', 'tenant-py', active!['version']],
      ['get-active', 'tenant-py'],
      ['esdk-decrypt', 'tenant-py', hex(before.result)],
      ['esdk-decrypt', 'tenant-py', hex(after.result)],
    ]);
    expect(old!['key']).toBe(active!['key']);
    expect(rotated!['version']).not.toBe(active!['version']);
    expect(Buffer.from(b!['plaintext'] as string, 'hex').toString()).toBe('before rotation');
    expect(Buffer.from(a!['plaintext'] as string, 'hex').toString()).toBe('after rotation');

    // crypto-shredding: after destroy Python refuses both the key and the messages
    await keyStore.destroy('tenant-py', { confirm: 'tenant-py' });
    const shredded = await python(base, [['get-active', 'tenant-py'], ['esdk-decrypt', 'tenant-py', hex(before.result)], ['esdk-decrypt', 'tenant-py', message!['message']]]);
    expect(shredded.every((r) => typeof r.error === 'string')).toBe(true);
    const fresh = new PhisealKeyringNode(new HierarchicalKeyProvider({ keyStore, branchKeyId: 'tenant-py' }));
    await expect(esdk.decrypt(fresh, Buffer.from(message!['message'] as string, 'hex'))).rejects.toThrow();
  });

  it('a branch key made by phiseal: Python reads it, rotates it, and the messages cross both ways', async () => {
    const { keyStore, options } = await newStore({ logicalKeyStoreName: 'js-logical' });
    const base = [options.tableName, 'js-logical', options.kmsKeyArn];
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-js', encryptionContext: { region: 'north' } });
    const ours = await keyStore.getActiveBranchKey(branchKeyId);
    const keyring = new PhisealKeyringNode(new HierarchicalKeyProvider({ keyStore, branchKeyId }));
    const context = { tenant: 'clinic-9' };
    const sealed = await esdk.encrypt(keyring, Buffer.from('from phiseal'), { encryptionContext: context });
    const [active, beacon, decrypted, , fromPython] = await python(base, [
      ['get-active', branchKeyId],
      ['get-beacon', branchKeyId],
      ['esdk-decrypt', branchKeyId, hex(sealed.result)],
      ['version-key', branchKeyId],
      ['esdk-encrypt', branchKeyId, context, hex(Buffer.from('from python, rotated'))],
    ]);
    expect(active).toMatchObject({ version: ours.branchKeyVersion, key: hex(ours.key), context: { region: 'north' } });
    expect(beacon!['key']).toBe(hex((await keyStore.getBeaconKey(branchKeyId)).key));
    expect(Buffer.from(decrypted!['plaintext'] as string, 'hex').toString()).toBe('from phiseal');
    const next = await keyStore.getActiveBranchKey(branchKeyId);
    expect(next.branchKeyVersion).not.toBe(ours.branchKeyVersion);
    const opened = await esdk.decrypt(keyring, Buffer.from(fromPython!['message'] as string, 'hex'));
    expect(opened.plaintext.toString()).toBe('from python, rotated');

    await keyStore.destroy(branchKeyId, { confirm: branchKeyId });
    const after = await python(base, [['get-active', branchKeyId], ['get-version', branchKeyId, ours.branchKeyVersion], ['esdk-decrypt', branchKeyId, hex(sealed.result)]]);
    expect(after.map((r) => typeof r.error)).toEqual(['string', 'string', 'string']);
  });
});
