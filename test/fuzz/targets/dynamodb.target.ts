// @phiseal/dynamodb: items in the DB-ESDK format (aws_dbe_head / aws_dbe_foot, encrypted
// attributes as Binary), read by decryptItem — the path of every read, Streams record and
// migration. No attribute is 'plain' here, so every attribute the item returns is
// authenticated: a mutated item must be refused or read back exactly, and (strictSame) an
// altered item read back as the original must be one of the format's by-design cases —
// the only one these samples can show is an added attribute named `aws_dbe_*` other than the
// header and footer: unauthenticated and never returned, in phiseal as in the Java DB-ESDK
// (ddb-support.md RemoveBeacons; docs/dynamodb-format.md "Malleability";
// packages/dynamodb/test/java/malleability.java-test.ts).
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { dbesdkByDesign } from '../dbesdk-by-design.js';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

type Item = Parameters<typeof encryptItem>[0];

const ITEMS: readonly Item[] = [
  { pk: { S: 'patient-1' }, sk: { S: 'visit-1' }, clinic: { S: 'north' }, name: { S: 'Ada Lovelace' }, age: { N: '36' } },
  {
    pk: { S: 'patient-2' },
    sk: { S: 'visit-9' },
    clinic: { S: 'south' },
    tags: { SS: ['a', 'b'] },
    vitals: { M: { bp: { L: [{ N: '120' }, { N: '80' }] }, ok: { BOOL: true }, none: { NULL: true } } },
    scan: { B: new Uint8Array([0, 1, 2, 250]) },
  },
];

export const targets: readonly FuzzTarget[] = [
  (() => {
    let envelope: Envelope | undefined;
    let config: TableConfig | undefined;
    return {
      name: 'dynamodb-item',
      description: 'DynamoDB item (DB-ESDK format) read by decryptItem; keys and one attribute signed, the rest encrypted',
      ciCount: 300,
      async samples() {
        envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'fuzz', key: new Uint8Array(32).fill(0x3c) }), guard: false });
        config = { tableName: 'fuzz-patients', partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign' }, envelope };
        const out: Sample[] = [];
        for (const [i, item] of ITEMS.entries()) out.push({ label: `item-${i}`, input: (await encryptItem(item, config)) as unknown as Doc, expected: item });
        return out;
      },
      async open(input) {
        return decryptItem(input as unknown as Item, config!);
      },
      strictSame: true,
      byDesign: dbesdkByDesign(),
      close: () => envelope?.destroy(),
    } satisfies FuzzTarget;
  })(),
];
