// Issue #11, defect 2: an attribute value with a second member. The signature covered the
// member phiseal picked (S before BOOL), while unmarshall() hands the application the first
// in key order, so {"BOOL": true, "S": "viewer"} verified and read as `true`. Every value,
// nested ones and key attributes included, must have exactly one member on every path.
// (Reads through the SDK client cannot deliver two members: its deserializer keeps one.
// decryptItem is the path that sees stored JSON as it is, e.g. DynamoDB Streams records.)
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
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

const item = (): AttributeMap => ({
  pk: { S: 'patient-1' },
  sk: { S: 'visit-1' },
  clinic: { S: 'viewer' },
  note: { S: 'free text' },
  name: { S: 'Ada Lovelace' },
  flags: { M: { role: { S: 'viewer' }, list: { L: [{ N: '1' }] } } },
});

// The forged member goes first, as unmarshall() reads keys in insertion order.
const twoMembers = (value: AttributeValue, extra: AttributeValue): AttributeValue => ({ ...extra, ...value }) as AttributeValue;

describe('attribute values with other than exactly one member', () => {
  it('are refused on read (decryptItem): signed, key, plain and nested values, and the header', async () => {
    const config = patientsConfig(localEnvelope(), { actions: { clinic: 'sign', note: 'plain', flags: 'sign' } });
    const stored = await encryptItem(item(), config);
    const forgeries: AttributeMap[] = [
      { ...stored, clinic: twoMembers(stored['clinic']!, { BOOL: true }) },
      { ...stored, pk: twoMembers(stored['pk']!, { N: '1' }) },
      { ...stored, sk: twoMembers(stored['sk']!, { NULL: true }) },
      { ...stored, note: twoMembers(stored['note']!, { BOOL: false }) },
      { ...stored, name: twoMembers(stored['name']!, { S: 'Eve' }) },
      { ...stored, flags: { M: { ...stored['flags']!.M, role: { BOOL: true, S: 'viewer' } as AttributeValue } } },
      { ...stored, flags: { M: { ...stored['flags']!.M, list: { L: [{ BOOL: true, N: '1' } as AttributeValue] } } } },
      { ...stored, note: {} as AttributeValue },
    ];
    for (const forged of forgeries) {
      expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT']).toContain(await codeOf(decryptItem(forged, config)));
    }
    const header = { ...stored, aws_dbe_head: { ...stored['aws_dbe_head']!, S: 'x' } as AttributeValue };
    expect(await codeOf(decryptItem(header, config))).toBe('MALFORMED_CIPHERTEXT');
    expect(await decryptItem(stored, config)).toEqual(item());
  });

  it('are refused on write (encryptItem) with INVALID_ARGUMENT: encrypted, signed, plain, key and nested values', async () => {
    const config = patientsConfig(localEnvelope());
    const bad: AttributeMap[] = [
      { ...item(), clinic: { BOOL: true, S: 'viewer' } as AttributeValue },
      { ...item(), name: { S: 'Ada', N: '1' } as AttributeValue },
      { ...item(), note: { S: 'x', NULL: true } as AttributeValue },
      { ...item(), pk: { S: 'patient-1', N: '1' } as AttributeValue },
      { ...item(), flags: { M: { role: { BOOL: true, S: 'viewer' } as AttributeValue } } },
      { ...item(), note: {} as AttributeValue },
    ];
    for (const b of bad) expect(await codeOf(encryptItem(b, config))).toBe('INVALID_ARGUMENT');
  });
});

describe('strings that are not well-formed Unicode (issue #11, defect 7)', () => {
  it('are refused as attribute names, map keys, key values and string values', async () => {
    const config = patientsConfig(localEnvelope());
    const bad: AttributeMap[] = [
      { ...item(), ['clinic\uD800']: { S: 'x' } },
      { ...item(), pk: { S: 'patient-\uDC00' } },
      { ...item(), name: { S: 'Ada \uD83D' } },
      { ...item(), flags: { M: { ['k\uDFFF']: { S: 'x' } } } },
      { ...item(), tags: { SS: ['ok', '\uD800'] } },
    ];
    for (const b of bad) expect(await codeOf(encryptItem(b, config))).toBe('INVALID_ARGUMENT');
    // Configured names too: they are bound into canonical paths and the KMS context.
    for (const extra of [{ actions: { ['clinic\uD800']: 'sign' as const } }, { logicalTableName: 'patients\uDC00' }, { partitionKey: 'pk\uD800' }]) {
      expect(await codeOf(encryptItem(item(), patientsConfig(localEnvelope(), extra)))).toBe('INVALID_CONFIGURATION');
    }
    // A surrogate pair is fine.
    const emoji = { ...item(), name: { S: 'Ada \u{1F600}' } };
    expect(await decryptItem(await encryptItem(emoji, config), config)).toEqual(emoji);
  });
});
