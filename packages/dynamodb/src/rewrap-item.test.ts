import { createEnvelope, LocalKeyProvider, MultiKeyProvider, PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from './encrypt-item.js';
import type { AttributeMap } from './internal/attribute-codec.js';
import { parseHeader } from './internal/dbesdk/header.js';
import { rewrapItem } from './rewrap-item.js';
import { patientsConfig } from '../test/fixtures.js';
import type { TableConfig } from './table-config.js';

const keyA = new LocalKeyProvider({ keyId: 'key-a', key: new Uint8Array(32).fill(1) });
const keyB = new LocalKeyProvider({ keyId: 'key-b', key: new Uint8Array(32).fill(2) });
const keyC = new LocalKeyProvider({ keyId: 'key-c', key: new Uint8Array(32).fill(3) });
const under = (keys: LocalKeyProvider | MultiKeyProvider, extra: Partial<TableConfig> = {}): TableConfig =>
  patientsConfig(createEnvelope({ keys, guard: false }), extra);

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : 'not-a-phiseal-error'),
  );

const sample = (): AttributeMap => ({
  pk: { S: 'patient-1' },
  sk: { S: 'visit-1' },
  clinic: { S: 'north' },
  note: { S: 'free text' },
  name: { S: 'Ada Lovelace' },
  vitals: { M: { bp: { L: [{ N: '120' }, { N: '80' }] } } },
});

const withoutFormat = (item: AttributeMap): AttributeMap => Object.fromEntries(Object.entries(item).filter(([n]) => !n.startsWith('aws_dbe_')));

describe.each([
  ['committing (0x6700)', {}],
  ['committing-signed (0x6701)', { algorithmSuite: 'committing-signed' as const }],
  ['version 2 header (sign-in-context)', { actions: { clinic: 'sign-in-context' as const, note: 'plain' as const } }],
])('rewrapItem, %s', (_name, extra) => {
  it('re-keys the item: the new key reads it, the old key no longer does, attribute ciphertexts are untouched', async () => {
    const stored = await encryptItem(sample(), under(keyA, extra));
    const rekeyed = await rewrapItem(stored, under(keyA, extra), { to: keyB });
    expect(await decryptItem(rekeyed, under(keyB, extra))).toEqual(sample());
    expect(await codeOf(decryptItem(rekeyed, under(keyA, extra)))).toBe('KEY_NOT_ALLOWED');
    // Only the header and footer change: every other attribute is the stored bytes.
    expect(withoutFormat(rekeyed)).toEqual(withoutFormat(stored));
    const before = parseHeader(stored['aws_dbe_head']!.B!);
    const after = parseHeader(rekeyed['aws_dbe_head']!.B!);
    expect(after.messageId.equals(before.messageId)).toBe(true);
    expect(after.legend.equals(before.legend)).toBe(true);
    expect(after.dataKeys.map((k) => k.providerInfo.toString('utf8').slice(0, 5))).toEqual(['key-b']);
    expect(after.commitment.equals(before.commitment)).toBe(false);
  });

  it('refuses an item already under the new key (KEY_NOT_ALLOWED) and a tampered one (DECRYPTION_FAILED)', async () => {
    const stored = await encryptItem(sample(), under(keyA, extra));
    const rekeyed = await rewrapItem(stored, under(keyA, extra), { to: keyB });
    expect(await codeOf(rewrapItem(rekeyed, under(keyA, extra), { to: keyB }))).toBe('KEY_NOT_ALLOWED');
    expect(await codeOf(rewrapItem({ ...stored, clinic: { S: 'south' } }, under(keyA, extra), { to: keyB }))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(rewrapItem({ ...stored, name: rekeyed['vitals']! }, under(keyA, extra), { to: keyB }))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(rewrapItem({ ...stored, pk: { S: 'patient-2' } }, under(keyA, extra), { to: keyB }))).toBe('DECRYPTION_FAILED');
  });
});

describe('rewrapItem', () => {
  it('uses a fresh intermediate key each time: two re-keyings of one item differ in every wrapped key', async () => {
    const stored = await encryptItem(sample(), under(keyA));
    const one = parseHeader((await rewrapItem(stored, under(keyA), { to: keyB }))['aws_dbe_head']!.B!);
    const two = parseHeader((await rewrapItem(stored, under(keyA), { to: keyB }))['aws_dbe_head']!.B!);
    expect(one.dataKeys[0]!.ciphertext.equals(two.dataKeys[0]!.ciphertext)).toBe(false);
    expect(one.dataKeys[0]!.ciphertext.subarray(0, 48).equals(two.dataKeys[0]!.ciphertext.subarray(0, 48))).toBe(false);
  });

  it('drops wrappings under other keys and writes every wrapping of a multi-key `to`', async () => {
    const stored = await encryptItem(sample(), under(new MultiKeyProvider([keyA, keyC])));
    const rekeyed = await rewrapItem(stored, under(keyA), { to: new MultiKeyProvider([keyB, keyC]) });
    expect(parseHeader(rekeyed['aws_dbe_head']!.B!).dataKeys).toHaveLength(2);
    expect(await decryptItem(rekeyed, under(keyB))).toEqual(sample());
    expect(await decryptItem(rekeyed, under(keyC))).toEqual(sample());
    const single = await rewrapItem(stored, under(keyA), { to: keyB });
    expect(await codeOf(decryptItem(single, under(keyC)))).toBe('KEY_NOT_ALLOWED');
  });

  it('takes Lambda-style base64 binaries', async () => {
    const stored = await encryptItem(sample(), under(keyA));
    const json = Object.fromEntries(Object.entries(stored).map(([n, v]) => [n, v.B ? { B: Buffer.from(v.B).toString('base64') } : v]));
    expect(await decryptItem(await rewrapItem(json, under(keyA), { to: keyB }), under(keyB))).toEqual(sample());
  });

  it('refuses a plaintext item, a bad `to` and a non-object', async () => {
    expect(await codeOf(rewrapItem(sample(), under(keyA), { to: keyB }))).toBe('MALFORMED_CIPHERTEXT');
    expect(await codeOf(rewrapItem(sample(), under(keyA), { to: {} as LocalKeyProvider }))).toBe('INVALID_CONFIGURATION');
    expect(await codeOf(rewrapItem(null as unknown as AttributeMap, under(keyA), { to: keyB }))).toBe('INVALID_ARGUMENT');
  });
});
