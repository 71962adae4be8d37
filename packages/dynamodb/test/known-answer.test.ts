import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, type AttributeAction, type TableConfig } from '@phiseal/dynamodb';
import { serializeAttribute } from '../src/internal/dbesdk/attribute-serialization.js';
import { canonicalPath } from '../src/internal/dbesdk/canonical-path.js';
import { fieldKey, fieldKeys } from '../src/internal/dbesdk/field-keys.js';
import { codeOf } from './helpers.js';
import { itemFromJson, type DdbItem } from './support/java-peer.js';

// Items encrypted by the Java DB-ESDK 3.9.0 with a raw AES keyring (vectors/generate-java-vectors.ts),
// decrypted here by LocalKeyProvider without a JVM or an emulator: both suites, header versions 1
// and 2, every attribute type.

type Vectors = {
  keyring: { namespace: string; name: string; key: string };
  table: { tableName: string; logicalTableName: string; partitionKey: string; sortKey: string; allowedUnsignedAttributes: string[] };
  plaintext: Record<string, Record<string, never>>;
  vectors: { id: string; suite: 'committing' | 'committing-signed'; actions: Record<string, AttributeAction>; stored: Record<string, Record<string, never>> }[];
};

const file = join(dirname(fileURLToPath(import.meta.url)), 'vectors/dbesdk-java.json');
const v = JSON.parse(readFileSync(file, 'utf8')) as Vectors;
// LocalKeyProvider is a raw AES keyring: namespace = provider id, keyId = key name.
const envelope = createEnvelope({
  keys: new LocalKeyProvider({ keyId: v.keyring.name, namespace: v.keyring.namespace, key: Buffer.from(v.keyring.key, 'base64') }),
  guard: false,
});

function canonical(item: DdbItem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, a] of Object.entries(item)) {
    const t = serializeAttribute(a);
    out[n] = `${t.typeId}:${t.value.toString('hex')}`;
  }
  return out;
}

function configOf(vector: Vectors['vectors'][number]): TableConfig {
  return { ...v.table, actions: vector.actions, algorithmSuite: vector.suite, envelope };
}

describe('known-answer vectors from the Java DB-ESDK 3.9.0', () => {
  it.each(v.vectors.map((x) => [x.id, x] as const))('decrypts %s', async (_id, vector) => {
    const stored = itemFromJson(vector.stored);
    expect(Object.keys(stored)).toContain('aws_dbe_head');
    const plain = await decryptItem(stored, configOf(vector));
    expect(canonical(plain)).toEqual(canonical(itemFromJson(v.plaintext)));
  });

  it.each(v.vectors.map((x) => [x.id, x] as const))('refuses %s with a changed signed attribute, header or footer', async (_id, vector) => {
    const stored = itemFromJson(vector.stored);
    const config = configOf(vector);
    const head = Buffer.from(stored['aws_dbe_head']!.B!);
    head[head.length - 1]! ^= 1;
    const foot = Buffer.from(stored['aws_dbe_foot']!.B!);
    foot[0]! ^= 0x80;
    for (const tampered of [
      { ...stored, region: { S: 'us' } },
      { ...stored, clinic: { S: 'south' } },
      { ...stored, aws_dbe_head: { B: head } },
      { ...stored, aws_dbe_foot: { B: foot } },
      { ...stored, extra: { S: 'added' } },
    ]) {
      expect(await codeOf(decryptItem(tampered, config))).toBe('DECRYPTION_FAILED');
    }
    // The logical table name is bound into every canonical path and the context.
    expect(await codeOf(decryptItem(stored, { ...config, logicalTableName: 'another' }))).toBe('DECRYPTION_FAILED');
  });

  it('writes what it reads: its own items decrypt under the same configuration', async () => {
    const config = configOf(v.vectors[3]!);
    const plain = itemFromJson(v.plaintext);
    expect(canonical(await decryptItem(await encryptItem(plain, config), config))).toEqual(canonical(plain));
  });

  it('derives canonical paths and field keys as specified', () => {
    // header.md "Canonical Path": table name, u64 depth 1, '$', u64 key length, key.
    expect(canonicalPath('t', 'ab').toString('hex')).toBe(`74${'0000000000000001'}24${'0000000000000002'}6162`);
    // Crypt.dfy FieldKey: 44 bytes of AES-256-CTR under the root key from counter block
    // "AwsDbeField" 0x2c u32(3 * ordinal); all of a record's field keys come from one keystream.
    const root = Buffer.alloc(32, 1);
    const counter = Buffer.concat([Buffer.from('AwsDbeField'), Buffer.from([0x2c, 0, 0, 0, 6])]);
    const expected = createCipheriv('aes-256-ctr', root, counter).update(Buffer.alloc(44));
    expect(Buffer.concat(Object.values(fieldKey(root, 2)))).toEqual(expected);
    const all = fieldKeys(root, 3);
    for (const i of [0, 1, 2]) expect(Buffer.concat([all.key(i), all.nonce(i)])).toEqual(Buffer.concat(Object.values(fieldKey(root, i))));
  });
});
