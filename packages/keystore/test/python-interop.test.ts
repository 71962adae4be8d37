import { fileURLToPath } from 'node:url';
import { runPythonPeer, uniqueName } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '@phiseal/keystore';
import { countingClients, dropTables, newStore, storeKmsKey, trackTable } from './fixtures.js';

// The official Python key store (aws-cryptographic-material-providers 1.11.x) and phiseal on
// one table: each reads the other's branch keys, versions and beacon keys byte for byte.
const peer = fileURLToPath(new URL('./keystore_peer.py', import.meta.url));

async function python(args: string[]): Promise<Record<string, string>> {
  const out = await runPythonPeer(peer, args);
  if (out.code !== 0) throw new Error(`python peer failed (${out.code}): ${out.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(out.stdout) as Record<string, string>;
}

afterAll(dropTables);

describe('interop with the Python Material Providers key store', () => {
  it('a key store and branch key made by Python are read by phiseal, and survive rotation', async () => {
    const table = uniqueName('pyks');
    const arn = await storeKmsKey();
    const base = [table, 'py-logical', arn];
    await python(['create-table', ...base]);
    trackTable(table);
    const { ddb, kms } = countingClients();
    const keyStore = createKeyStore({ tableName: table, logicalKeyStoreName: 'py-logical', ddbClient: ddb, kmsClient: kms, kmsKeyArn: arn });
    expect((await keyStore.createKeyStoreTable()).created).toBe(false);
    const { branchKeyId } = await python(['create-key', ...base, 'tenant-py', JSON.stringify({ department: 'lab' })]);
    const theirs = await python(['get-active', ...base, branchKeyId!]);
    const ours = await keyStore.getActiveBranchKey(branchKeyId!);
    expect(ours.branchKeyVersion).toBe(theirs['version']);
    expect(Buffer.from(ours.key).toString('hex')).toBe(theirs['key']);
    expect(ours.encryptionContext).toEqual({ department: 'lab' });
    expect(Buffer.from((await keyStore.getBeaconKey(branchKeyId!)).key).toString('hex')).toBe((await python(['get-beacon', ...base, branchKeyId!]))['key']);
    // phiseal rotates a Python-made key; Python reads both versions
    await keyStore.versionKey(branchKeyId!);
    const rotated = await python(['get-active', ...base, branchKeyId!]);
    expect(rotated['version']).not.toBe(theirs['version']);
    expect((await python(['get-version', ...base, branchKeyId!, theirs['version']!]))['key']).toBe(theirs['key']);
    expect(Buffer.from((await keyStore.getActiveBranchKey(branchKeyId!)).key).toString('hex')).toBe(rotated['key']);
    await keyStore.destroy(branchKeyId!, { confirm: branchKeyId! });
    await expect(python(['get-active', ...base, branchKeyId!])).rejects.toThrow(/python peer failed \(3\)/);
  });

  it('a branch key made by phiseal is read and rotated by Python; after destroy Python refuses', async () => {
    const { keyStore, options } = await newStore({ logicalKeyStoreName: 'js-logical' });
    const base = [options.tableName, 'js-logical', options.kmsKeyArn];
    const { branchKeyId } = await keyStore.createKey({ branchKeyId: 'tenant-js', encryptionContext: { region: 'north' } });
    const ours = await keyStore.getActiveBranchKey(branchKeyId);
    const theirs = await python(['get-active', ...base, branchKeyId]);
    expect(theirs['version']).toBe(ours.branchKeyVersion);
    expect(theirs['key']).toBe(Buffer.from(ours.key).toString('hex'));
    expect(theirs['context']).toEqual({ region: 'north' });
    expect((await python(['get-beacon', ...base, branchKeyId]))['key']).toBe(Buffer.from((await keyStore.getBeaconKey(branchKeyId)).key).toString('hex'));
    await python(['version-key', ...base, branchKeyId]);
    const next = await keyStore.getActiveBranchKey(branchKeyId);
    expect(next.branchKeyVersion).not.toBe(ours.branchKeyVersion);
    expect(Buffer.from((await keyStore.getBranchKeyVersion(branchKeyId, ours.branchKeyVersion)).key).equals(Buffer.from(ours.key))).toBe(true);
    await keyStore.destroy(branchKeyId, { confirm: branchKeyId });
    await expect(python(['get-active', ...base, branchKeyId])).rejects.toThrow(/python peer failed \(3\)/);
    await expect(python(['get-version', ...base, branchKeyId, ours.branchKeyVersion])).rejects.toThrow(/python peer failed \(3\)/);
  });
});
