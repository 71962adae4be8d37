// @phiseal/dynamodb items with beacons (virtual field, nested location, asSet, compound with
// constructors, a signed beacon), read by decryptItem, which also recomputes every stored
// beacon: a stored beacon attribute is hostile input too. strictSame as in dynamodb-item: the
// by-design changes are an added or changed aws_dbe_* attribute that is not a configured
// beacon (a configured beacon that differs from the item is refused) and a removed beacon
// (it only hides the item from that beacon's queries), see docs/dynamodb-format.md 11.1.
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { dbesdkByDesign } from '../dbesdk-by-design.js';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

type Item = Parameters<typeof encryptItem>[0];

const ITEMS: readonly Item[] = [
  {
    pk: { S: 'patient-1' },
    first: { S: 'Ada' },
    last: { S: 'Lovelace' },
    contact: { M: { emails: { L: [{ S: 'ada@example.org' }] } } },
    tags: { SS: ['math', 'poetry'] },
    clinic: { S: 'north' },
    visitDate: { S: '1843-07-10' },
  },
  { pk: { S: 'patient-2' }, last: { S: 'Hopper' }, clinic: { S: 'south' }, tags: { SS: ['navy'] } },
];

export const targets: readonly FuzzTarget[] = [
  (() => {
    let envelope: Envelope | undefined;
    let config: TableConfig | undefined;
    const configured = new Set(['aws_dbe_b_email', 'aws_dbe_b_nameTag', 'aws_dbe_b_tags', 'aws_dbe_b_visit']);
    return {
      name: 'dynamodb-item-beacons',
      description: 'DynamoDB item with beacons of every kind, read by decryptItem (beacons recomputed and compared)',
      ciCount: 200,
      async samples() {
        envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'fuzz-b', key: new Uint8Array(32).fill(0x4d) }), guard: false });
        config = {
          tableName: 'fuzz-beacons',
          partitionKey: 'pk',
          actions: { clinic: 'sign', visitDate: 'sign' },
          envelope,
          beacons: {
            virtualFields: [{ name: 'nameTag', parts: [{ loc: 'first', trans: [{ prefix: { length: 1 } }, { lower: {} }] }, { loc: 'last', trans: [{ lower: {} }] }] }],
            standard: [
              { name: 'email', length: 16, loc: 'contact.emails[0]' },
              { name: 'nameTag', length: 12 },
              { name: 'tags', length: 8, style: { asSet: {} } },
              { name: 'last', length: 10, style: { partOnly: {} } },
            ],
            compound: [
              {
                name: 'visit',
                split: '|',
                signed: [{ name: 'clinic', prefix: 'C-' }, { name: 'day', prefix: 'D-', loc: 'visitDate' }],
                encrypted: [{ name: 'last', prefix: 'L-' }],
                constructors: [{ parts: [{ name: 'clinic', required: true }, { name: 'last', required: true }, { name: 'day', required: false }] }],
              },
              { name: 'place', split: '.', signed: [{ name: 'clinicP', prefix: 'C-', loc: 'clinic' }] },
            ],
            keyStore: { getBeaconKey: () => Promise.resolve({ key: new Uint8Array(32).fill(0x2e) }) },
            keySource: { single: { keyId: 'fuzz' } },
          },
        };
        const out: Sample[] = [];
        for (const [i, item] of ITEMS.entries()) {
          const stored = await encryptItem(item, config);
          out.push({ label: `item-${i}`, input: stored as unknown as Doc, expected: { ...item, place: stored['place'] } });
        }
        return out;
      },
      async open(input) {
        return decryptItem(input as unknown as Item, config!);
      },
      strictSame: true,
      byDesign: dbesdkByDesign(configured),
      close: () => envelope?.destroy(),
    } satisfies FuzzTarget;
  })(),
];
