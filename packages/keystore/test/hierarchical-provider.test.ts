import {
  AlgorithmSuiteIdentifier,
  BranchKeyStoreNode,
  EncryptedDataKey,
  KmsHierarchicalKeyRingNode,
  NodeAlgorithmSuite,
  NodeDecryptionMaterial,
  NodeEncryptionMaterial,
} from '@aws-crypto/client-node';
import { createEnvelope, DataKeyCache } from '@phiseal/core';
import { rejection } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { HierarchicalKeyProvider } from '@phiseal/keystore';
import { countingClients, dropTables, newStore, reset, sameStoreElsewhere } from './fixtures.js';

afterAll(dropTables);

// The JavaScript SDK hands out data keys as KeyObjects or bytes.
const raw = (key: Uint8Array | { export(): unknown }): Buffer => (key instanceof Uint8Array ? Buffer.from(key) : (key.export() as Buffer));

const suite = new NodeAlgorithmSuite(AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY);

describe('HierarchicalKeyProvider with createEnvelope', () => {
  it('round-trips with a fixed branch key and with a supplier; wrapped keys name the branch key', async () => {
    const { keyStore } = await newStore();
    const a = (await keyStore.createKey()).branchKeyId;
    const b = (await keyStore.createKey()).branchKeyId;
    const fixed = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId: a }) });
    const sealed = await fixed.encrypt('glucose 5.4 mmol/L', { context: { tenant: 't-a' } });
    expect(Buffer.from((await fixed.decrypt(sealed)).plaintext).toString()).toBe('glucose 5.4 mmol/L');
    const tenants: Record<string, string> = { 't-a': a, 't-b': b };
    const supplied = createEnvelope({
      keys: new HierarchicalKeyProvider({ keyStore, branchKeyIdSupplier: (ctx) => tenants[ctx['tenant']!]! }),
    });
    const forB = await supplied.encrypt('hba1c 6.1%', { context: { tenant: 't-b' } });
    const out = await supplied.decrypt(forB);
    expect(out.keyId).toBe(b);
    // tenant a's provider may not use tenant b's branch key
    expect((await rejection(fixed.decrypt(forB))).code).toBe('KEY_NOT_ALLOWED');
    expect(Buffer.from((await supplied.decrypt(sealed)).plaintext).toString()).toBe('glucose 5.4 mmol/L');
  });

  it('refuses a PHI branch key id from the supplier before any key-store call', async () => {
    const { keyStore, counts } = await newStore();
    reset(counts);
    const keys = new HierarchicalKeyProvider({ keyStore, branchKeyIdSupplier: () => 'ssn-123-45-6789' });
    expect((await rejection(keys.generate({}))).code).toBe('PHI_DETECTED');
    expect(counts).toEqual({});
  });
});

describe('single-flight and TTL', () => {
  it('N concurrent first uses of one tenant make 1 GetItem and 1 KMS Decrypt', async () => {
    const { keyStore, options } = await newStore();
    const ids = await Promise.all(Array.from({ length: 5 }, () => keyStore.createKey().then((k) => k.branchKeyId)));
    const elsewhere = sameStoreElsewhere(options);
    const keys = new HierarchicalKeyProvider({ keyStore: elsewhere.keyStore, branchKeyIdSupplier: (c) => c['tenant']! });
    // 200 generate calls, 40 per tenant, all in flight at once (different contexts: no data-key cache involved)
    await Promise.all(Array.from({ length: 200 }, (_, i) => keys.generate({ tenant: ids[i % 5]!, n: String(i) })));
    expect(elsewhere.counts).toEqual({ GetItem: 5, Decrypt: 5 });
    expect(keys.stats()).toMatchObject({ misses: 5, coalesced: 195 });
    await keys.generate({ tenant: ids[0]! });
    expect(keys.stats()).toMatchObject({ misses: 5, hits: 1 });
    expect(elsewhere.counts).toEqual({ GetItem: 5, Decrypt: 5 });
  });

  it('fetches again after the TTL, and reads each old version once for decrypt', async () => {
    let now = 1_000_000;
    const { keyStore, options } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const elsewhere = sameStoreElsewhere(options);
    const keys = new HierarchicalKeyProvider({ keyStore: elsewhere.keyStore, branchKeyId }, { ttlSeconds: 60, now: () => now });
    const envelope = createEnvelope({ keys, cache: false });
    const first = await envelope.encrypt('one');
    await envelope.encrypt('two');
    expect(elsewhere.counts).toEqual({ GetItem: 1, Decrypt: 1 });
    now += 60_000;
    await envelope.encrypt('three');
    expect(elsewhere.counts).toEqual({ GetItem: 2, Decrypt: 2 });
    // decrypt reads the version record, once
    await Promise.all([envelope.decrypt(first), envelope.decrypt(first), envelope.decrypt(first)]);
    expect(elsewhere.counts).toEqual({ GetItem: 3, Decrypt: 3 });
  });

  it('rotation: old messages still decrypt, new ones use the new version', async () => {
    const { keyStore } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const keys = new HierarchicalKeyProvider({ keyStore, branchKeyId });
    const envelope = createEnvelope({ keys, cache: false });
    const before = await envelope.encrypt('before rotation');
    const v1 = (await keyStore.getActiveBranchKey(branchKeyId)).branchKeyVersion;
    await keyStore.versionKey(branchKeyId);
    const after = await envelope.encrypt('after rotation');
    const v2 = (await keyStore.getActiveBranchKey(branchKeyId)).branchKeyVersion;
    expect(v2).not.toBe(v1);
    const { wrapped } = await keys.generate({});
    expect(Buffer.from(wrapped[0]!.ciphertext.subarray(28, 44)).toString('hex')).toBe(v2.replace(/-/g, ''));
    expect(Buffer.from((await envelope.decrypt(before)).plaintext).toString()).toBe('before rotation');
    expect(Buffer.from((await envelope.decrypt(after)).plaintext).toString()).toBe('after rotation');
  });

  it('isCurrent: true only for a wrapping under the active version of this provider\'s branch key', async () => {
    const { keyStore } = await newStore();
    const [a, b] = [(await keyStore.createKey()).branchKeyId, (await keyStore.createKey()).branchKeyId];
    const keys = new HierarchicalKeyProvider({ keyStore, branchKeyId: a });
    const supplied = new HierarchicalKeyProvider({ keyStore, branchKeyIdSupplier: (c) => c['tenant']! });
    const [old] = (await keys.generate({})).wrapped;
    expect(await keys.isCurrent(old!, {})).toBe(true);
    await keyStore.versionKey(a);
    const [fresh] = (await keys.generate({})).wrapped;
    expect([await keys.isCurrent(old!, {}), await keys.isCurrent(fresh!, {})]).toEqual([false, true]);
    // The supplier's branch key for the context decides, as in unwrap.
    expect([await supplied.isCurrent(fresh!, { tenant: a }), await supplied.isCurrent(fresh!, { tenant: b })]).toEqual([true, false]);
    // Another branch key, another provider id, other provider info, a malformed ciphertext: not current.
    const [ofB] = (await new HierarchicalKeyProvider({ keyStore, branchKeyId: b }).generate({})).wrapped;
    for (const w of [ofB!, { ...fresh!, provider: 'aws-kms' }, { ...fresh!, providerInfo: Buffer.from(`${a}x`) }, { ...fresh!, ciphertext: fresh!.ciphertext.subarray(1) }]) {
      expect(await keys.isCurrent(w, {})).toBe(false);
    }
  });
});

describe('crypto-shredding', () => {
  it('after destroy: this process refuses at once, another process once its TTL has passed', async () => {
    let now = 5_000_000;
    const { keyStore, options, events } = await newStore();
    const { branchKeyId } = await keyStore.createKey();
    const clock = { now: () => now };
    const here = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }, clock), cache: new DataKeyCache({ maxAgeMs: 600_000, ...clock }) });
    const other = sameStoreElsewhere(options);
    const there = createEnvelope({
      keys: new HierarchicalKeyProvider({ keyStore: other.keyStore, branchKeyId }, { ttlSeconds: 600, ...clock }),
      cache: new DataKeyCache({ maxAgeMs: 600_000, ...clock }),
    });
    const sealed = await here.encrypt('result: positive', { context: { tenant: 'clinic-9' } });
    expect(Buffer.from((await there.decrypt(sealed)).plaintext).toString()).toBe('result: positive');
    await keyStore.destroy(branchKeyId, { confirm: branchKeyId });
    expect(events.at(-1)).toMatchObject({ operation: 'keystore.destroy', branchKeyId, outcome: 'success' });
    // this process dropped its cached branch key at once: a data key not yet cached cannot be made
    expect((await rejection(here.encrypt('new', { context: { tenant: 'clinic-10' } }))).code).toBe('BRANCH_KEY_NOT_FOUND');
    // the other process still holds the branch key (and the data key) until their TTLs
    expect((await there.decrypt(sealed)).plaintext).toHaveLength(16);
    now += 600_000;
    for (const envelope of [here, there]) {
      expect((await rejection(envelope.decrypt(sealed))).code).toBe('BRANCH_KEY_NOT_FOUND');
      expect((await rejection(envelope.encrypt('new', { context: { tenant: 'clinic-9' } }))).code).toBe('BRANCH_KEY_NOT_FOUND');
    }
    // a fresh process too
    const fresh = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore: sameStoreElsewhere(options).keyStore, branchKeyId }) });
    expect((await rejection(fresh.decrypt(sealed))).code).toBe('BRANCH_KEY_NOT_FOUND');
  });
});

describe('interop with the AWS JavaScript SDK hierarchical keyring (keyring level)', () => {
  it('their wrapped data keys unwrap here and ours unwrap there, on one key store', async () => {
    const { keyStore } = await newStore({ logicalKeyStoreName: 'shared-logical' });
    const { branchKeyId } = await keyStore.createKey();
    const { ddb, kms } = countingClients();
    const theirStore = new BranchKeyStoreNode({
      logicalKeyStoreName: 'shared-logical',
      storage: { ddbTableName: keyStore.tableName, ddbClient: ddb },
      keyManagement: { kmsClient: kms },
      kmsConfiguration: { identifier: keyStore.kmsKeyArn },
    });
    const keyring = new KmsHierarchicalKeyRingNode({ branchKeyId, keyStore: theirStore, cacheLimitTtl: 600 });
    const ours = new HierarchicalKeyProvider({ keyStore, branchKeyId });
    const context = { tenant: 'clinic-17', 'aws-crypto-public-key': 'A'.repeat(20), ω: 'é' };

    const theirs = await keyring.onEncrypt(new NodeEncryptionMaterial(suite, context));
    const edk = theirs.encryptedDataKeys[0]!;
    expect(edk.providerId).toBe('aws-kms-hierarchy');
    const unwrapped = await ours.unwrap([{ provider: edk.providerId, keyId: edk.providerInfo, ciphertext: edk.encryptedDataKey }], context);
    expect(Buffer.from(unwrapped.key).equals(raw(theirs.getUnencryptedDataKey()))).toBe(true);

    const generated = await ours.generate(context);
    const w = generated.wrapped[0]!;
    const opened = await keyring.onDecrypt(new NodeDecryptionMaterial(suite, context), [
      new EncryptedDataKey({ providerId: w.provider, providerInfo: w.keyId, encryptedDataKey: w.ciphertext }),
    ]);
    expect(raw(opened.getUnencryptedDataKey()).equals(Buffer.from(generated.key))).toBe(true);
    // and under another context their keyring refuses ours
    await expect(
      keyring.onDecrypt(new NodeDecryptionMaterial(suite, { tenant: 'clinic-18' }), [
        new EncryptedDataKey({ providerId: w.provider, providerInfo: w.keyId, encryptedDataKey: w.ciphertext }),
      ]),
    ).rejects.toThrow();
  });
});
