import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem } from '../../encrypt-item.js';
import type { AttributeMap } from '../attribute-codec.js';
import { patientsConfig } from '../../../test/fixtures.js';

// An outside review of the item copies made on the encrypt and decrypt paths (issue #14 speed
// work rebuilds them by stores and may turn to Object.assign): an attribute named `__proto__`,
// `constructor` or `toString` must stay an own attribute, in and out, and no object may get a
// new prototype. A table writer chooses the names of what a reader gets back.

const envelope = () => createEnvelope({ keys: new LocalKeyProvider({ keyId: 'names-key', key: new Uint8Array(32).fill(12) }), guard: false });

describe('attribute names an object store would misread', () => {
  // `__proto__` as a plain store sets the prototype (Object.assign and `out[name] = v` both do);
  // DynamoDB allows any name. Built by JSON.parse, as a response parser would: own properties.
  const hostile = (): AttributeMap =>
    JSON.parse(
      '{"pk":{"S":"p-h"},"sk":{"S":"s"},"__proto__":{"S":"ada@example.org"},"constructor":{"N":"7"},"toString":{"B":"AQI="},"note":{"S":"plain"},"hasOwnProperty":{"SS":["a"]}}',
      (k, v: unknown) => (k === 'B' && typeof v === 'string' ? Uint8Array.from(Buffer.from(v, 'base64')) : v),
    ) as AttributeMap;
  const ownKeys = (m: object): string[] => Object.keys(m).sort();

  it('round-trips them as own attributes, encrypted, signed or plain, with no prototype change', async () => {
    const variants: [string, string[]][] = [
      ['{"note":"plain"}', ['note']],
      ['{"note":"plain","__proto__":"sign","constructor":"sign"}', ['note']],
      ['{"note":"plain","__proto__":"plain","constructor":"plain"}', ['note', '__proto__', 'constructor']],
    ];
    for (const [actions, allowedUnsignedAttributes] of variants) {
      const config = patientsConfig(envelope(), { actions: JSON.parse(actions) as Record<string, 'sign' | 'plain'>, allowedUnsignedAttributes });
      const stored = await encryptItem(hostile(), config);
      expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
      expect(ownKeys(stored)).toEqual([...ownKeys(hostile()), 'aws_dbe_foot', 'aws_dbe_head'].sort());
      const read = await decryptItem(JSON.parse(JSON.stringify(stored, (k, v: unknown) => (v instanceof Uint8Array ? { $b: Buffer.from(v).toString('base64') } : v)), (k, v: { $b?: string }) => (v && typeof v.$b === 'string' ? Uint8Array.from(Buffer.from(v.$b, 'base64')) : v)) as AttributeMap, config);
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      expect(ownKeys(read)).toEqual(ownKeys(hostile()));
      expect(read).toEqual(hostile());
    }
    expect(({} as Record<string, unknown>)['S']).toBeUndefined();
  });
});
