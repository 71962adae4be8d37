// The shared by-design predicate of the DynamoDB fuzz targets names exactly the format's
// documented malleability and nothing else (a predicate that named too much would hide an
// accepted-wrong read from the fuzz run).
import { describe, expect, it } from 'vitest';
import { dbesdkByDesign } from './dbesdk-by-design.js';
import type { Doc, Sample } from './harness.js';

const stored = {
  pk: { S: 'p-1' },
  visit: { B: 'AAEC' },
  aws_dbe_head: { B: 'aGVhZA==' },
  aws_dbe_foot: { B: 'Zm9vdA==' },
  aws_dbe_b_tags: { SS: ['a', 'b'] },
  aws_dbe_b_email: { S: '1f' },
} as const;
const sample: Sample = { label: 'item', input: stored, expected: {} };
const altered = (change: Record<string, unknown>, drop: string[] = []): Doc => {
  const out: Record<string, unknown> = { ...stored, ...change };
  for (const k of drop) delete out[k];
  return out as Doc;
};

describe('dbesdkByDesign', () => {
  const plain = dbesdkByDesign();
  const beacons = dbesdkByDesign(new Set(['aws_dbe_b_tags', 'aws_dbe_b_email']));

  it('names an added or changed unauthenticated aws_dbe_* attribute', () => {
    expect(plain(altered({ aws_dbe_x: { S: 'y' } }), sample)).toBeDefined();
    expect(beacons(altered({ aws_dbe_x: { S: 'y' } }), sample)).toBeDefined();
  });

  it('never names the header, the footer, another attribute, or an unchanged item', () => {
    for (const byDesign of [plain, beacons]) {
      expect(byDesign(altered({ aws_dbe_head: { B: 'aGVhZQ==' } }), sample)).toBeUndefined();
      expect(byDesign(altered({}, ['aws_dbe_foot']), sample)).toBeUndefined();
      expect(byDesign(altered({ visit: { B: 'AAED' } }), sample)).toBeUndefined();
      expect(byDesign(altered({ aws_dbe_x: { S: 'y' }, pk: { S: 'p-2' } }), sample)).toBeUndefined();
      expect(byDesign(altered({}), sample)).toBeUndefined();
    }
  });

  it('names a removed or reordered configured beacon, and only a configured one', () => {
    expect(beacons(altered({}, ['aws_dbe_b_email']), sample)).toBeDefined();
    expect(beacons(altered({ aws_dbe_b_tags: { SS: ['b', 'a'] } }), sample)).toBeDefined();
    expect(beacons(altered({ aws_dbe_b_tags: { SS: ['b', 'c'] } }), sample)).toBeUndefined();
    expect(beacons(altered({ aws_dbe_b_email: { S: '2f' } }), sample)).toBeUndefined();
    // Without beacons configured these are unauthenticated aws_dbe_* attributes: named as such.
    expect(plain(altered({}, ['aws_dbe_b_email']), sample)).toBe('unauthenticated aws_dbe_* attribute (not returned)');
  });
});
