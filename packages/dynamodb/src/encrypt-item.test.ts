import { LocalKeyProvider, PhisealError, auditEvent, createEnvelope, type AuditEvent } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from './encrypt-item.js';
import type { AttributeMap } from './internal/attribute-codec.js';
import { localEnvelope, patientsConfig } from '../test/fixtures.js';

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (error) {
    return PhisealError.is(error) ? error.code : 'not-a-phiseal-error';
  }
};

const sample = (): AttributeMap => ({
  pk: { S: 'patient-1' },
  sk: { S: 'visit-1' },
  clinic: { S: 'north' },
  note: { S: 'free text' },
  name: { S: 'Ada Lovelace' },
  age: { N: '36' },
  tags: { SS: ['a', 'b'] },
  vitals: { M: { bp: { L: [{ N: '120' }, { N: '80' }] }, ok: { BOOL: true }, none: { NULL: true } } },
});

describe('encryptItem / decryptItem', () => {
  it('round-trips and stores encrypted attributes as Binary, signed and plain as given', async () => {
    const config = patientsConfig(localEnvelope());
    const stored = await encryptItem(sample(), config);
    expect(stored['pk']).toEqual({ S: 'patient-1' });
    expect(stored['clinic']).toEqual({ S: 'north' });
    expect(stored['note']).toEqual({ S: 'free text' });
    expect(stored['name']?.B).toBeInstanceOf(Uint8Array);
    expect(stored['vitals']?.B).toBeInstanceOf(Uint8Array);
    expect(stored['aws_dbe_head']?.B).toBeInstanceOf(Uint8Array);
    expect(stored['aws_dbe_foot']?.B).toHaveLength(48);
    expect(Buffer.from(stored['name']!.B!).includes(Buffer.from('Ada'))).toBe(false);
    expect(await decryptItem(stored, config)).toEqual(sample());
  });

  it('rejects every tamper case with DECRYPTION_FAILED', async () => {
    const envelope = localEnvelope();
    const config = patientsConfig(envelope);
    const a = await encryptItem(sample(), config);
    const b = await encryptItem({ ...sample(), pk: { S: 'patient-2' }, name: { S: 'Grace Hopper' } }, config);
    const cases: Record<string, AttributeMap> = {
      'change signed': { ...a, clinic: { S: 'south' } },
      'remove signed': Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'clinic')),
      'remove encrypted': Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'age')),
      'add signed': { ...a, extra: { S: 'x' } },
      'add encrypted-by-default as binary': { ...a, extra: { B: new Uint8Array(40) } },
      'swap between attributes': { ...a, name: a['vitals']!, vitals: a['name']! },
      'swap between items': { ...a, name: b['name']! },
      'copy to another key': { ...a, pk: { S: 'patient-9' } },
      'change type of signed': { ...a, clinic: { SS: ['north'] } },
      'other header': { ...a, aws_dbe_head: b['aws_dbe_head']! },
      'other footer': { ...a, aws_dbe_foot: b['aws_dbe_foot']! },
      'header and footer of another item': { ...a, aws_dbe_head: b['aws_dbe_head']!, aws_dbe_foot: b['aws_dbe_foot']! },
    };
    for (const [label, item] of Object.entries(cases)) {
      expect([label, await codeOf(decryptItem(item, config))]).toEqual([label, 'DECRYPTION_FAILED']);
    }
    expect(await codeOf(decryptItem(a, { ...config, tableName: 'other-table' }))).toBe('DECRYPTION_FAILED');
    // plain attributes are not covered: changing them is allowed (and documented)
    expect((await decryptItem({ ...a, note: { S: 'changed' } }, config))['note']).toEqual({ S: 'changed' });
  });

  it('reports an unparsable header as MALFORMED_CIPHERTEXT, a missing one as tampering, no format attribute as plaintext', async () => {
    const config = patientsConfig(localEnvelope());
    const a = await encryptItem(sample(), config);
    // No format attribute at all: plaintext, refused under the default 'encrypted-only'.
    expect(await codeOf(decryptItem(sample(), config))).toBe('PLAINTEXT_REFUSED');
    const { aws_dbe_head: _head, ...headless } = a;
    expect(await codeOf(decryptItem(headless, config))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(decryptItem({ ...a, aws_dbe_head: { B: new Uint8Array([9, 9]) } }, config))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('refuses items without their keys and reserved attribute names', async () => {
    const config = patientsConfig(localEnvelope());
    const { pk: _pk, ...noKey } = sample();
    expect(await codeOf(encryptItem(noKey, config))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(encryptItem({ ...sample(), aws_dbe_x: { S: 'x' } }, config))).toBe('INVALID_ARGUMENT');
  });

  it('guards key values and attribute names, which stay in the clear', async () => {
    // The shared fixture turns the guard off; this test needs the default guard.
    const config = patientsConfig(
      createEnvelope({ keys: new LocalKeyProvider({ keyId: 'guarded', key: new Uint8Array(32).fill(3) }) }),
    );
    expect(await codeOf(encryptItem(sample(), config))).toBeUndefined();
    expect(await codeOf(encryptItem({ ...sample(), pk: { S: 'ssn-123-45-6789' } }, config))).toBe('PHI_DETECTED');
    expect(await codeOf(encryptItem({ ...sample(), 'jane.doe@example.com': { S: 'x' } }, config))).toBe('PHI_DETECTED');
    // A sign-in-context value goes into the data key's encryption context (KMS, CloudTrail) in the clear.
    const inContext = { ...config, actions: { ...config.actions, clinic: 'sign-in-context' as const } };
    expect(await codeOf(encryptItem(sample(), inContext))).toBeUndefined();
    expect(await codeOf(encryptItem({ ...sample(), clinic: { S: 'ssn 123-45-6789' } }, inContext))).toBe('PHI_DETECTED');
  });

  it('verifies numbers whatever spelling DynamoDB returns', async () => {
    const config = patientsConfig(localEnvelope(), { actions: { score: 'sign', scores: 'sign' } });
    const stored = await encryptItem({ pk: { S: 'p' }, sk: { S: 's' }, score: { N: '01.50' }, scores: { NS: ['2', '1.0'] } }, config);
    const respelled = { ...stored, score: { N: '1.5' }, scores: { NS: ['1', '2'] } };
    expect(await decryptItem(respelled, config)).toEqual({ pk: { S: 'p' }, sk: { S: 's' }, score: { N: '1.5' }, scores: { NS: ['1', '2'] } });
  });

  it('refuses an item that encryption pushes over 400 KB with LIMIT_EXCEEDED', async () => {
    const config = patientsConfig(localEnvelope());
    const many: AttributeMap = { pk: { S: 'p' }, sk: { S: 's' } };
    // ~395 KB of small attributes: fine in the clear, over the limit once each gains 16 bytes of tag and type.
    for (let i = 0; i < 9000; i++) many[`a${i}`] = { S: 'x'.repeat(40) };
    expect(await codeOf(encryptItem(many, config))).toBe('LIMIT_EXCEEDED');
    const large = await encryptItem({ pk: { S: 'p' }, sk: { S: 's' }, blob: { S: 'y'.repeat(300_000) } }, config);
    expect((await decryptItem(large, config))['blob']?.S).toHaveLength(300_000);
  });
});

describe('decryptItem on Lambda stream images', () => {
  it('accepts binaries as base64 strings', async () => {
    const config = patientsConfig(localEnvelope());
    const stored = await encryptItem({ ...sample(), photo: { B: new Uint8Array([1, 2]) }, scans: { BS: [new Uint8Array([3])] } }, config);
    const json = JSON.parse(
      JSON.stringify(stored, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)),
    ) as Record<string, unknown>;
    expect(typeof (json['aws_dbe_head'] as { B: unknown }).B).toBe('string');
    expect(await decryptItem(json, config)).toEqual({ ...sample(), photo: { B: new Uint8Array([1, 2]) }, scans: { BS: [new Uint8Array([3])] } });
  });
});

describe('values of the wrong JavaScript type', () => {
  const bad: [string, unknown][] = [
    ['an ArrayBuffer as B', { B: new ArrayBuffer(4) }],
    ['a string as B', { B: 'abc' }],
    ['a number as S', { S: 5 }],
    ['a number in SS', { SS: [1] }],
    ['a non-list L', { L: 5 }],
    ['a null M', { M: null }],
    ['a bad nested value', { M: { a: { B: {} } } }],
    ['null', null],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name} with a typed error and leaves later items working`, async () => {
      const config = patientsConfig(localEnvelope());
      const stored = await encryptItem(sample(), config);
      expect(await codeOf(encryptItem({ ...sample(), name: value as never }, config))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(encryptItem({ ...sample(), clinic: value as never }, config))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(decryptItem({ ...stored, name: value as never }, config))).toBe('DECRYPTION_FAILED');
      expect(await codeOf(decryptItem({ ...stored, clinic: value as never }, config))).toBe('DECRYPTION_FAILED');
      // The shared scratch buffers must not be left unusable by a failed value.
      expect(await decryptItem(await encryptItem(sample(), config), config)).toEqual(sample());
      expect(await decryptItem(stored, config)).toEqual(sample());
    });
  }
  it('refuses a non-object item with a typed error', async () => {
    const config = patientsConfig(localEnvelope());
    expect(await codeOf(encryptItem(null as never, config))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(decryptItem(null as never, config))).toBe('INVALID_ARGUMENT');
  });

  it('audits every item with the table context keys and the digest core gives that context', async () => {
    const events: AuditEvent[] = [];
    const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'audit-key', key: new Uint8Array(32).fill(3) }), guard: false, audit: (e) => events.push(e) });
    const config = patientsConfig(envelope);
    const stored = await encryptItem(sample(), config);
    await encryptItem({ ...sample(), pk: { S: 'patient-2' } }, config);
    await decryptItem(stored, config);
    expect(await codeOf(decryptItem({ ...stored, clinic: { S: 'south' } }, config))).toBe('DECRYPTION_FAILED');
    const ours = events.filter((e) => e.operation.startsWith('dynamodb.'));
    expect(ours.map((e) => `${e.operation}:${e.outcome}:${e.errorCode ?? ''}`)).toEqual([
      'dynamodb.encryptItem:success:',
      'dynamodb.encryptItem:success:',
      'dynamodb.decryptItem:success:',
      'dynamodb.decryptItem:failure:DECRYPTION_FAILED',
    ]);
    const expected = auditEvent('x', { 'phiseal:dynamodb-table': 'patients' }, 'k', false);
    for (const e of ours) {
      expect(e.contextKeys).toEqual(expected.contextKeys);
      expect(e.contextDigest).toBe(expected.contextDigest);
      // A failed decryption names no key (the key id is noted on success only).
      expect(e.keyId).toBe(e.outcome === 'success' ? 'audit-key' : 'unknown');
    }
  });
});
