import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import type { BeaconConfig } from '../../beacon-config.js';
import type { TableConfig } from '../../table-config.js';
import { localEnvelope, patientsConfig } from '../../../test/fixtures.js';
import { resolveTable } from '../resolve-table.js';

// Beacon configurations are validated when the table is first used, with the DB-ESDK's own
// rules (beacons.md "Initialization Failure", search-config.md "Beacon Version
// Initialization", virtual.md), each refused as INVALID_CONFIGURATION.

const keyStore = { getBeaconKey: () => Promise.resolve({ key: new Uint8Array(32).fill(9) }) };
type Beacons = Omit<BeaconConfig, 'keyStore' | 'keySource'> & { keySource?: BeaconConfig['keySource'] };

function table(beacons: Beacons, extra: Partial<TableConfig> = {}): TableConfig {
  return patientsConfig(localEnvelope(), {
    actions: { clinic: 'sign', region: 'sign-in-context', note: 'plain', tenant: 'sign' },
    beacons: { keyStore, keySource: { single: { keyId: 'b' } }, ...beacons },
    ...extra,
  });
}

function codeOf(config: TableConfig): string | undefined {
  try {
    resolveTable(config);
    return undefined;
  } catch (e) {
    return PhisealError.is(e) ? e.code : 'untyped';
  }
}

const email = { name: 'email', length: 16 };

describe('beacon configuration', () => {
  it('accepts every feature together', () => {
    const t = resolveTable(
      table({
        virtualFields: [{ name: 'tag', parts: [{ loc: 'first', trans: [{ prefix: { length: 1 } }] }, { loc: 'last' }] }],
        standard: [
          email,
          { name: 'tag', length: 20 },
          { name: 'city', length: 8, loc: 'address.city' },
          { name: 'work', length: 16, style: { shared: { other: 'email' } } },
          { name: 'tags', length: 8, style: { asSet: {} } },
          { name: 'ssn', length: 10, style: { partOnly: {} } },
        ],
        signedParts: [{ name: 'reg', prefix: 'R-', loc: 'region' }],
        encryptedParts: [{ name: 'city', prefix: 'Y-' }],
        compound: [
          { name: 'visit', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }], encrypted: [{ name: 'ssn', prefix: 'S-' }] },
          { name: 'where', split: '.', constructors: [{ parts: [{ name: 'reg', required: true }, { name: 'city', required: false }] }] },
          { name: 'place', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }, { name: 'r', prefix: 'G-', loc: 'region' }] },
        ],
      }),
    );
    expect(t.storedBeacons.map((b) => b.attributeName)).toEqual(['aws_dbe_b_email', 'aws_dbe_b_tag', 'aws_dbe_b_city', 'aws_dbe_b_work', 'aws_dbe_b_tags', 'aws_dbe_b_visit', 'aws_dbe_b_where']);
    expect(t.beaconByName.get('place')?.attributeName).toBe('place');
    expect(t.actionOf('place')).toBe('sign');
  });

  const refused: [string, Beacons, Partial<TableConfig>?][] = [
    ['no standard beacon', { standard: [] }],
    ['length 0', { standard: [{ name: 'email', length: 0 }] }],
    ['length 64', { standard: [{ name: 'email', length: 64 }] }],
    ['a beacon on a signed attribute', { standard: [{ name: 'c', length: 8, loc: 'clinic' }] }],
    ['a beacon named like a signed attribute', { standard: [{ name: 'clinic', length: 8, loc: 'x' }] }],
    ['a beacon named like an unsigned attribute', { standard: [{ name: 'note', length: 8, loc: 'x' }] }],
    ['two beacons on one location', { standard: [email, { name: 'e2', length: 8, loc: 'email' }] }],
    ['two standard beacons with one name', { standard: [email, email] }],
    ['a bad location', { standard: [{ name: 'e', length: 8, loc: 'a..b' }] }],
    ['a reserved location', { standard: [{ name: 'e', length: 8, loc: 'aws_dbe_head' }] }],
    ['a shared beacon whose other is missing', { standard: [{ name: 'w', length: 16, style: { shared: { other: 'nope' } } }] }],
    ['a shared beacon of another length', { standard: [email, { name: 'w', length: 8, style: { shared: { other: 'email' } } }] }],
    ['a share chain', { standard: [email, { name: 'w', length: 16, style: { shared: { other: 'email' } } }, { name: 'v', length: 16, style: { shared: { other: 'w' } } }] }],
    ['a beacon shared with itself', { standard: [{ name: 'w', length: 16, style: { shared: { other: 'w' } } }] }],
    ['two styles', { standard: [{ name: 'w', length: 16, style: { asSet: {}, partOnly: {} } }] }],
    ['an unused partOnly beacon', { standard: [{ name: 'ssn', length: 8, style: { partOnly: {} } }] }],
    ['an asSet beacon as a part', { standard: [{ name: 'tags', length: 8, style: { asSet: {} } }], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'tags', prefix: 'T-' }] }] }],
    ['a virtual field named like an attribute', { virtualFields: [{ name: 'clinic', parts: [{ loc: 'last' }] }], standard: [email] }],
    ['a virtual field on an unsigned attribute', { virtualFields: [{ name: 'v', parts: [{ loc: 'note' }] }], standard: [email] }],
    ['a virtual field without parts', { virtualFields: [{ name: 'v', parts: [] }], standard: [email] }],
    ['a bad transform', { virtualFields: [{ name: 'v', parts: [{ loc: 'last', trans: [{ prefix: {} } as never] }] }], standard: [email] }],
    ['two virtual fields on the same locations', { virtualFields: [{ name: 'v', parts: [{ loc: 'a' }, { loc: 'b' }] }, { name: 'w', parts: [{ loc: 'b' }, { loc: 'a', trans: [{ upper: {} }] }] }], standard: [email] }],
    ['a standard beacon on the single location of a virtual field', { virtualFields: [{ name: 'v', parts: [{ loc: 'email', trans: [{ upper: {} }] }] }], standard: [email] }],
    ['a standard beacon on a signed-only virtual field', { virtualFields: [{ name: 'v', parts: [{ loc: 'clinic' }] }], standard: [{ name: 'v', length: 8 }] }],
    ['a compound split of two characters', { standard: [email], compound: [{ name: 'c', split: '..', encrypted: [{ name: 'email', prefix: 'E-' }] }] }],
    ['a compound part that is not a standard beacon', { standard: [email], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'nope', prefix: 'E-' }] }] }],
    ['a signed part on an encrypted attribute', { standard: [email], compound: [{ name: 'c', split: '.', signed: [{ name: 'last', prefix: 'L-' }] }] }],
    ['a signed part on an unsigned attribute', { standard: [email], compound: [{ name: 'c', split: '.', signed: [{ name: 'note', prefix: 'N-' }] }] }],
    ['one prefix starting another', { standard: [email], compound: [{ name: 'c', split: '.', signed: [{ name: 'clinic', prefix: 'C' }], encrypted: [{ name: 'email', prefix: 'C-' }] }] }],
    ['an empty prefix', { standard: [email], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'email', prefix: '' }] }] }],
    ['a compound beacon named like a standard one', { standard: [email], compound: [{ name: 'email', split: '.', encrypted: [{ name: 'email', prefix: 'E-' }] }] }],
    ['a compound beacon with no parts and no constructors', { standard: [email], compound: [{ name: 'c', split: '.' }] }],
    ['an empty constructor list', { standard: [email], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'email', prefix: 'E-' }], constructors: [] }] }],
    ['a constructor without a required part', { standard: [email], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'email', prefix: 'E-' }], constructors: [{ parts: [{ name: 'email', required: false }] }] }] }],
    ['a constructor naming an unknown part', { standard: [email], compound: [{ name: 'c', split: '.', encrypted: [{ name: 'email', prefix: 'E-' }], constructors: [{ parts: [{ name: 'x', required: true }] }] }] }],
    [
      'two constructors with the same required parts',
      {
        standard: [email],
        compound: [{ name: 'c', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }], encrypted: [{ name: 'email', prefix: 'E-' }], constructors: [{ parts: [{ name: 'email', required: true }, { name: 'clinic', required: false }] }, { parts: [{ name: 'email', required: true }] }] }],
      },
    ],
    ['a local part repeating a global one', { standard: [email], signedParts: [{ name: 'clinic', prefix: 'C-' }], compound: [{ name: 'c', split: '.', signed: [{ name: 'clinic', prefix: 'K-' }] }] }],
    ['a signed beacon named like a configured attribute', { standard: [email], compound: [{ name: 'tenant', split: '.', signed: [{ name: 'clinic', prefix: 'C-' }] }] }],
    ['a multi-tenant key field that is encrypted', { standard: [email], keySource: { multi: { keyFieldName: 'last' } } }],
    ['a multi-tenant key field that is plain', { standard: [email], keySource: { multi: { keyFieldName: 'note' } } }],
    ['a multi-tenant key field named like a beacon', { standard: [email, { name: 'tenant', length: 8, loc: 'x' }], keySource: { multi: { keyFieldName: 'tenant' } } }],
    ['both key sources', { standard: [email], keySource: { single: { keyId: 'b' }, multi: { keyFieldName: 'tenant' } } }],
  ];
  for (const [what, beacons, extra] of refused) {
    it(`refuses ${what} with INVALID_CONFIGURATION`, () => {
      expect(codeOf(table(beacons, extra))).toBe('INVALID_CONFIGURATION');
    });
  }
});
