import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '../src/internal/attribute-codec.js';
import { beaconParts, beaconValue, deriveBeaconKey } from '../src/internal/beacon-compute.js';
import { parseHeader } from '../src/internal/header.js';
import { openItem, sealItem, type ItemSchema } from '../src/internal/item-crypto.js';
import { itemPrk, signingKey } from '../src/internal/item-keys.js';
import { beaconAttributeName } from '../src/internal/reserved.js';
import { defaultNormalize } from '../src/internal/resolve-table.js';

// Vectors written by an independent Python implementation of docs/dynamodb-format.md
// (test/vectors/generate_vectors.py): the TypeScript must produce the same bytes.

type JsonValue = Record<string, unknown>;
type Case = {
  description: string;
  dataKey: string;
  itemId: string;
  wrappedKeys: string;
  beaconRootKey: string;
  signingKey: string;
  tag: string;
  config: {
    tableName: string;
    partitionKey: string;
    sortKey?: string;
    actions?: Record<string, 'encrypt' | 'sign' | 'plain'>;
    defaultAction?: 'encrypt' | 'sign' | 'plain';
    beacons?: Record<string, { attributes: string[]; bits: number }>;
  };
  item: Record<string, JsonValue>;
  expected: Record<string, JsonValue>;
};

const vectors = JSON.parse(readFileSync(new URL('./vectors/dynamodb-v1.json', import.meta.url), 'utf8')) as { cases: Case[] };

function toValue(v: JsonValue): AttributeValue {
  const [[type, x]] = Object.entries(v) as [[string, unknown]];
  switch (type) {
    case 'B':
      return { B: new Uint8Array(Buffer.from(x as string, 'base64')) };
    case 'BS':
      return { BS: (x as string[]).map((m) => new Uint8Array(Buffer.from(m, 'base64'))) };
    case 'M':
      return { M: toItem(x as Record<string, JsonValue>) };
    case 'L':
      return { L: (x as JsonValue[]).map(toValue) };
    default:
      return v as unknown as AttributeValue;
  }
}

function toItem(m: Record<string, JsonValue>): AttributeMap {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, toValue(v)]));
}

function schemaOf(c: Case): ItemSchema {
  const keys = new Set([c.config.partitionKey, ...(c.config.sortKey ? [c.config.sortKey] : [])]);
  return {
    tableName: c.config.tableName,
    partitionKey: c.config.partitionKey,
    sortKey: c.config.sortKey,
    actionOf: (n) => (keys.has(n) ? 'sign' : (c.config.actions?.[n] ?? c.config.defaultAction ?? 'encrypt')),
  };
}

describe('known-answer vectors (format v1)', () => {
  it('has vectors to check', () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(2);
  });

  for (const c of vectors.cases) {
    it(`seals and opens: ${c.description}`, () => {
      const dataKey = Buffer.from(c.dataKey, 'hex');
      const itemId = Buffer.from(c.itemId, 'hex');
      const item = toItem(c.item);
      const root = Buffer.from(c.beaconRootKey, 'hex');
      const beacons: AttributeMap = {};
      for (const [name, b] of Object.entries(c.config.beacons ?? {})) {
        const resolved = { name, attributeName: beaconAttributeName(name), sources: b.attributes, bits: b.bits, normalize: defaultNormalize };
        const parts = beaconParts(resolved, item);
        if (parts) beacons[resolved.attributeName] = { S: beaconValue(deriveBeaconKey(root, c.config.tableName, name), b.bits, parts) };
      }
      const stored = sealItem(item, beacons, schemaOf(c), dataKey, Buffer.from(c.wrappedKeys, 'hex'), itemId);
      expect(signingKey(itemPrk(dataKey, itemId)).toString('hex')).toBe(c.signingKey);
      expect(stored).toEqual(toItem(c.expected));
      const header = parseHeader(stored['phiseal_h']!.B!);
      expect(Buffer.from(header!.tag).toString('hex')).toBe(c.tag);
      const opened = openItem(toItem(c.expected), header!, schemaOf(c), dataKey);
      expect(opened).toEqual(item);
    });
  }
});
