import { describe, expect, it } from 'vitest';
import { readPlan, writePlan } from './field-plan.js';
import type { CryptoAction, DbeSchema } from './item-schema.js';
import { SUITE_COMMITTING } from './suites.js';

// A plan depends on the attribute names alone, is reused for the same names, and never for
// other names, whatever their order or a colliding lookup key.

const actions: Record<string, CryptoAction> = { pk: 'sign', sk: 'sign', note: 'plain' };
const schema: DbeSchema = {
  logicalTableName: 't',
  partitionKey: 'pk',
  sortKey: 'sk',
  actionOf: (name) => actions[name] ?? 'encrypt',
  inSignatureScope: (name) => actions[name] !== 'plain',
  version: 1,
  contextAttributes: [],
  suite: SUITE_COMMITTING,
};
const refuse = (name: string): Error => new Error(`reserved ${name.length}`);
const item = (...names: string[]) => Object.fromEntries(names.map((n) => [n, { S: 'x' }]));

describe('field plans', () => {
  it('orders signed attributes by canonical path, leaves plain ones out and reuses the plan of a shape', () => {
    const a = writePlan(schema, item('zeta', 'pk', 'note', 'sk', 'alpha'), refuse);
    // The canonical path holds the name's length before the name: shorter names come first.
    expect(a.fields.map((f) => f.name)).toEqual(['pk', 'sk', 'zeta', 'alpha']);
    expect(a.encrypted).toBe(2);
    expect(a.missing).toBeUndefined();
    expect(a.bound.map((i) => a.fields[i]!.name).sort()).toEqual(['pk', 'sk']);
    expect(writePlan(schema, item('zeta', 'pk', 'note', 'sk', 'alpha'), refuse)).toBe(a);
  });

  it('never hands one shape the plan of another, even when the lookup keys collide', () => {
    const joined = writePlan(schema, item('pk', 'sk', 'a\u0000b'), refuse);
    const split = writePlan(schema, item('pk', 'sk', 'a', 'b'), refuse);
    expect(joined.fields.map((f) => f.name)).toContain('a\u0000b');
    expect(split.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['a', 'b']));
    expect(split).not.toBe(joined);
    expect(writePlan(schema, item('pk', 'sk', 'a\u0000b'), refuse).fields.map((f) => f.name)).toContain('a\u0000b');
  });

  it('hands the last shape\'s plan only to the same names in the same order', () => {
    const x = writePlan(schema, item('pk', 'sk', 'x'), refuse);
    const y = writePlan(schema, item('pk', 'sk', 'y'), refuse);
    const swapped = writePlan(schema, item('sk', 'pk', 'y'), refuse);
    expect(y.fields.map((f) => f.name)).toContain('y');
    expect(y).not.toBe(x);
    expect(swapped).not.toBe(y);
    expect(writePlan(schema, item('sk', 'pk', 'y'), refuse)).toBe(swapped);
    expect(writePlan(schema, item('pk', 'sk', 'x'), refuse)).toBe(x);
    expect(readPlan(schema, item('pk', 'sk', 'x')).fields.map((f) => f.name)).toContain('x');
    expect(readPlan(schema, item('pk', 'sk', 'y')).fields.map((f) => f.name)).toContain('y');
  });

  it('reports a missing key attribute and refuses reserved names every time (refused shapes are not kept)', () => {
    expect(writePlan(schema, item('pk', 'x'), refuse).missing).toBe('sk');
    expect(() => writePlan(schema, item('pk', 'sk', 'aws_dbe_x'), refuse)).toThrow('reserved 9');
    expect(() => writePlan(schema, item('pk', 'sk', 'aws_dbe_x'), refuse)).toThrow('reserved 9');
  });

  it('reads the signed attributes of a stored item without the reserved and unsigned ones', () => {
    const { fields } = readPlan(schema, item('aws_dbe_head', 'pk', 'note', 'sk', 'b', 'aws_dbe_foot'));
    expect(fields.map((f) => f.name).sort()).toEqual(['b', 'pk', 'sk']);
  });
});
