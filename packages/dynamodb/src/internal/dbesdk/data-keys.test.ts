import { LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { withDecryptionMaterials, withEncryptionMaterials, type DecryptionMaterials, type EncryptionMaterials } from './data-keys.js';
import { contextAad } from './encryption-context.js';
import { hkdfExpand } from './hkdf.js';

// The writer's derivations: used once and zeroized for a data key handed out the first time,
// kept from the second time on; either way the same data key gives the same materials.

const envelope = () => createEnvelope({ keys: new LocalKeyProvider({ keyId: 'derive-test', key: new Uint8Array(32).fill(9) }), guard: false });
const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

type Seen = { materials: EncryptionMaterials; wrapped: Buffer; derived: Buffer };

async function materialsOf(env: ReturnType<typeof envelope>, ec: Record<string, string>): Promise<Seen> {
  return withEncryptionMaterials(env, ec, contextAad(ec), (m) => ({
    materials: m,
    wrapped: Buffer.from(m.dataKeys[0]!.ciphertext),
    derived: Buffer.from(hkdfExpand(m.prk, 32, Buffer.from('probe'))),
  }));
}

describe('withEncryptionMaterials', () => {
  it('gives the same materials for one cached data key, first sight (not kept) or later (kept)', async () => {
    const env = envelope();
    const ec = { 'aws-crypto-table-name': 'patients', 'aws-crypto-attr.pk': 'AAFw' };
    const [first, second, third] = [await materialsOf(env, ec), await materialsOf(env, ec), await materialsOf(env, ec)];
    expect(second.wrapped).toEqual(first.wrapped);
    expect(third.wrapped).toEqual(first.wrapped);
    expect(second.derived).toEqual(first.derived);
    expect(third.derived).toEqual(first.derived);
    // The first sight's keys were the borrower's only: zeroized once it returned.
    expect(isZero(first.materials.prk.inner) && isZero(first.materials.tagKey.outer)).toBe(true);
    // From the second sight on they are the cache's: kept for the next item.
    expect(third.materials.prk).toBe(second.materials.prk);
    expect(isZero(third.materials.prk.inner)).toBe(false);
    const other = await materialsOf(env, { ...ec, 'aws-crypto-attr.pk': 'AAFx' });
    expect(other.derived).not.toEqual(first.derived);
    env.destroy();
    expect(isZero(third.materials.prk.inner)).toBe(true);
  });
});

describe('withDecryptionMaterials', () => {
  type Read = { materials: DecryptionMaterials; derived: Buffer };
  const readOf = (env: ReturnType<typeof envelope>, dataKeys: EncryptionMaterials['dataKeys'], ec: Record<string, string>): Promise<Read> =>
    withDecryptionMaterials(env, dataKeys, ec, contextAad(ec), (m) => ({ materials: m, derived: Buffer.from(hkdfExpand(m.prk, 32, Buffer.from('probe'))) }));

  it("keeps a wrapped data key's keys from its second read on, and gives the writer's keys every time", async () => {
    const env = envelope();
    const ec = { 'aws-crypto-table-name': 'patients', 'aws-crypto-attr.pk': 'AAFw' };
    const written = await withEncryptionMaterials(env, ec, contextAad(ec), (m) => ({
      dataKeys: m.dataKeys,
      derived: Buffer.from(hkdfExpand(m.prk, 32, Buffer.from('probe'))),
    }));
    const [first, second, third] = [await readOf(env, written.dataKeys, ec), await readOf(env, written.dataKeys, ec), await readOf(env, written.dataKeys, ec)];
    for (const r of [first, second, third]) expect(r.derived).toEqual(written.derived);
    // A first read's keys were the borrower's only: zeroized once it returned.
    expect(isZero(first.materials.prk.inner) && isZero(first.materials.tagKey.outer)).toBe(true);
    // From the second read on they are the cache's.
    expect(third.materials.prk).toBe(second.materials.prk);
    expect(isZero(third.materials.prk.inner)).toBe(false);
    // The same wrapped data key under another context is refused, and leaves the kept keys alone.
    const moved = { ...ec, 'aws-crypto-attr.pk': 'AAFx' };
    await expect(readOf(env, written.dataKeys, moved)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    expect((await readOf(env, written.dataKeys, ec)).materials.prk).toBe(second.materials.prk);
    env.destroy();
    expect(isZero(third.materials.prk.inner)).toBe(true);
  });
});
