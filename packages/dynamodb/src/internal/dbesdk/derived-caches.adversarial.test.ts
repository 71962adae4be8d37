import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createEnvelope, LocalKeyProvider, PhisealError, type KeyProvider, type WrappedKey } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { withDecryptionMaterials, withEncryptionMaterials } from './data-keys.js';
import { contextAad } from './encryption-context.js';
import { decryptItem, encryptItem } from '../../encrypt-item.js';
import type { AttributeMap } from '../attribute-codec.js';
import { patientsConfig } from '../../../test/fixtures.js';

// An outside review of the read and write paths after their speed work (issue #14): the
// reader's derived keys are cached by the wrapped data key alone (the context and the
// intermediate key compared on a hit), the writer's kept only from a data key's second sight,
// field keys are views of one keystream, encrypted values are read in place. A table writer
// who mixes stored parts of items must get DECRYPTION_FAILED and never poison those caches,
// and every value handed back must own its bytes: later items, evictions and destroy() must
// not change it.

const key = new Uint8Array(32).fill(11);
const envelope = () => createEnvelope({ keys: new LocalKeyProvider({ keyId: 'review-key', key }), guard: false });

const item = (pk: string, extra: AttributeMap = {}): AttributeMap => ({
  pk: { S: pk },
  sk: { S: 'visit-1' },
  clinic: { S: 'north' },
  note: { S: 'plain text' },
  name: { S: `Ada ${pk}` },
  scan: { B: Uint8Array.from([1, 2, 3, pk.length]) },
  shots: { BS: [Uint8Array.of(8, 7), Uint8Array.of(9)] }, // in the canonical (sorted) order a read gives back
  chart: { M: { raw: { B: Uint8Array.of(5, 5, 5) }, list: { L: [{ B: Uint8Array.of(4) }, { N: '12.5' }] } } },
  ...extra,
});

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : `untyped ${String(e)}`),
  );

/** Every Uint8Array reachable in an attribute map. */
function binaries(map: AttributeMap): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(map);
  return out;
}

describe('reader derived cache under a table writer who mixes stored items', () => {
  it('refuses every mix with a typed DECRYPTION_FAILED, warm cache or not, and keeps reading the real items', async () => {
    const config = patientsConfig(envelope());
    const a = await encryptItem(item('p-a'), config);
    const a2 = await encryptItem(item('p-a', { name: { S: 'second version' } }), config);
    const b = await encryptItem(item('p-b'), config);
    const mixes: AttributeMap[] = [
      { ...a, aws_dbe_head: b['aws_dbe_head']! },
      { ...a, aws_dbe_head: a2['aws_dbe_head']! },
      { ...a, aws_dbe_foot: a2['aws_dbe_foot']! },
      { ...a, name: a2['name']! },
      { ...b, pk: { S: 'p-a' } },
      { ...a2, aws_dbe_head: a['aws_dbe_head']!, aws_dbe_foot: a['aws_dbe_foot']! },
    ];
    for (let round = 0; round < 3; round++) {
      // Warm: the real items put their derivations in the reader's cache first.
      expect(await decryptItem(a, config)).toEqual(item('p-a'));
      expect(await decryptItem(a2, config)).toEqual(item('p-a', { name: { S: 'second version' } }));
      for (const mix of mixes) expect(await codeOf(decryptItem(mix, config))).toBe('DECRYPTION_FAILED');
      expect(await decryptItem(b, config)).toEqual(item('p-b'));
    }
    // Mixes read concurrently with the real items: the same answers.
    const answers = await Promise.all([...mixes, a, b, ...mixes].map((m) => codeOf(decryptItem(m, config))));
    expect(answers).toEqual([...mixes.map(() => 'DECRYPTION_FAILED'), 'accepted', 'accepted', ...mixes.map(() => 'DECRYPTION_FAILED')]);
  });

  it('reads an item written by another process (another envelope over the same key) after a poisoned attempt', async () => {
    const writer = patientsConfig(envelope());
    const reader = patientsConfig(envelope());
    const a = await encryptItem(item('p-x'), writer);
    const b = await encryptItem(item('p-y'), writer);
    expect(await codeOf(decryptItem({ ...b, aws_dbe_head: a['aws_dbe_head']! }, reader))).toBe('DECRYPTION_FAILED');
    expect(await decryptItem(a, reader)).toEqual(item('p-x'));
    expect(await decryptItem(b, reader)).toEqual(item('p-y'));
  });
});

describe('values handed back own their bytes', () => {
  it('decrypted binaries are copies with an ArrayBuffer of their own, unchanged by later items, evictions and destroy()', async () => {
    const env = envelope();
    const config = patientsConfig(env);
    const stored = await encryptItem(item('p-own'), config);
    const plain = await decryptItem(stored, config);
    const found = binaries(plain);
    expect(found.length).toBe(5);
    for (const b of found) expect(b.byteOffset === 0 && b.buffer.byteLength === b.byteLength).toBe(true);
    const before = found.map((b) => Buffer.from(b).toString('hex'));
    // Enough distinct items to evict every derived entry (256 per cache), then destroy.
    const others = await Promise.all(Array.from({ length: 300 }, (_, i) => encryptItem(item(`p-${i}`), config)));
    await Promise.all(others.map((o) => decryptItem(o, config)));
    env.destroy();
    expect(found.map((b) => Buffer.from(b).toString('hex'))).toEqual(before);
    expect(plain).toEqual(item('p-own'));
  });

  it('stored (encrypted) values are not overwritten by later items or destroy(): they still decrypt elsewhere', async () => {
    const env = envelope();
    const config = patientsConfig(env);
    const stored = await encryptItem(item('p-kept'), config);
    const snapshot = binaries(stored).map((b) => Buffer.from(b).toString('hex'));
    await Promise.all(Array.from({ length: 300 }, (_, i) => encryptItem(item(`q-${i}`), config)));
    env.destroy();
    expect(binaries(stored).map((b) => Buffer.from(b).toString('hex'))).toEqual(snapshot);
    expect(await decryptItem(stored, patientsConfig(envelope()))).toEqual(item('p-kept'));
  });

  it('stored binaries are views of memory that holds no plaintext: what they share of Node\'s pool was zeroized', async () => {
    const config = patientsConfig(envelope());
    const secrets = ['QZXJ-secret-name-0001', 'Zo\u00eb \u00c7elik-Q\u00dfX secret', 'QZXJ-set-member-0002', 'QZXJ-nested-value-0003'];
    // Needles outside the pool (Buffer.alloc never takes a pool slice), so the probe adds nothing there.
    const needles = secrets.map((s) => {
      const n = Buffer.alloc(Buffer.byteLength(s));
      n.write(s);
      return n;
    });
    for (let round = 0; round < 3; round++) {
      const stored = await encryptItem(item(`p-pool-${round}`, { name: { S: secrets[0]! }, alias: { S: secrets[1]! }, codes: { SS: [secrets[2]!] }, chart: { M: { deep: { S: secrets[3]! } } } }), config);
      for (const b of binaries(stored)) {
        const whole = Buffer.from(b.buffer);
        for (const needle of needles) expect(whole.includes(needle)).toBe(false);
      }
      await decryptItem(stored, config);
    }
  });
});

/**
 * A key provider that does not bind the context (AES-GCM without AAD): a custom provider may be
 * that lax. The reader's derived cache must then still refuse an intermediate key's derivation
 * for any context but the one it was derived under (defense in depth behind the provider).
 */
function contextBlindProvider(): KeyProvider {
  const master = randomBytes(32);
  const seal = (key: Uint8Array): WrappedKey => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    const body = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
    return { provider: 'review-blind', keyId: 'blind', ciphertext: Buffer.concat([iv, body]) };
  };
  return {
    id: 'review-blind',
    generate: (): Promise<{ key: Uint8Array; wrapped: readonly WrappedKey[] }> => {
      const key = randomBytes(32);
      return Promise.resolve({ key, wrapped: [seal(key)] });
    },
    wrap: (key) => Promise.resolve([seal(key)]),
    unwrap: (wrapped) => {
      const c = Buffer.from(wrapped[0]!.ciphertext);
      const decipher = createDecipheriv('aes-256-gcm', master, c.subarray(0, 12));
      decipher.setAuthTag(c.subarray(c.length - 16));
      const key = Buffer.concat([decipher.update(c.subarray(12, c.length - 16)), decipher.final()]);
      return Promise.resolve({ key, keyId: 'blind' });
    },
  };
}

describe('reader derived cache: the context is compared on a hit', () => {
  it('refuses a cached derivation for another context even when the provider does not bind contexts', async () => {
    const env = createEnvelope({ keys: contextBlindProvider(), guard: false });
    const ecA = { 'aws-crypto-table-name': 'patients', 'aws-crypto-attr.pk': 'AAFh' };
    const ecB = { 'aws-crypto-table-name': 'patients', 'aws-crypto-attr.pk': 'AAFi' };
    const dataKeys = await withEncryptionMaterials(env, ecA, contextAad(ecA), (m) => m.dataKeys.map((k) => ({ ...k, ciphertext: Buffer.from(k.ciphertext) })));
    const read = (ec: Record<string, string>) => withDecryptionMaterials(env, dataKeys, ec, contextAad(ec), (m) => m.keyId);
    // Read twice: the reader keeps a derivation from its second sight on (the cache is warm).
    expect(await read(ecA)).toBe('blind');
    expect(await read(ecA)).toBe('blind');
    // B reuses A's wrapped data key: the derivation of A must not answer for B.
    expect(await codeOf(read(ecB))).toBe('DECRYPTION_FAILED');
    expect(await read(ecA)).toBe('blind');
  });

  it('refuses a cached derivation when the header pairs its wrapped data key with another intermediate key', async () => {
    const keys = contextBlindProvider();
    const env = createEnvelope({ keys, guard: false });
    const ec = { 'aws-crypto-table-name': 'patients', 'aws-crypto-attr.pk': 'AAFh' };
    const copy = (m: { dataKeys: { providerId: string; providerInfo: Buffer; ciphertext: Buffer }[] }) => m.dataKeys.map((k) => ({ ...k, ciphertext: Buffer.from(k.ciphertext) }));
    const mine = await withEncryptionMaterials(env, ec, contextAad(ec), copy);
    // Another intermediate key (a fresh envelope, its own cache), its wrapping spliced behind mine.
    const other = await withEncryptionMaterials(createEnvelope({ keys, guard: false }), ec, contextAad(ec), copy);
    const spliced = [{ ...mine[0]!, ciphertext: Buffer.concat([mine[0]!.ciphertext.subarray(0, 48), other[0]!.ciphertext.subarray(48)]) }];
    const read = (dataKeys: typeof mine) => withDecryptionMaterials(env, dataKeys, ec, contextAad(ec), (m) => m.keyId);
    expect(await read(mine)).toBe('blind');
    expect(await read(mine)).toBe('blind');
    expect(await codeOf(read(spliced))).toBe('DECRYPTION_FAILED');
    expect(await read(mine)).toBe('blind');
  });
});
