import { describe, expect, it } from 'vitest';
import { MAX_CONDITION_ATTRIBUTES, ownWriteCondition, readCondition } from './item-condition.js';

describe('readCondition', () => {
  it('compares every non-key attribute read, in name order, and leaves the key attributes to PutItem', () => {
    const c = readCondition({ pk: { S: 'p' }, sk: { N: '1' }, visit: { S: 'v' }, dose: { N: '12' } }, ['pk', 'sk']);
    expect(c.ConditionExpression).toBe('#a0=:v0 AND #a1=:v1');
    expect(c.ExpressionAttributeNames).toEqual({ '#a0': 'dose', '#a1': 'visit' });
    expect(c.ExpressionAttributeValues).toEqual({ ':v0': { N: '12' }, ':v1': { S: 'v' } });
    expect(c.exact).toBe(true);
  });

  it('an item of key attributes only is compared on its partition key (so a deleted one fails)', () => {
    const c = readCondition({ pk: { S: 'p' }, sk: { S: 's' } }, ['pk', 'sk']);
    expect(c.ConditionExpression).toBe('#a0=:v0');
    expect(c.ExpressionAttributeNames).toEqual({ '#a0': 'pk' });
    expect(c.ExpressionAttributeValues).toEqual({ ':v0': { S: 'p' } });
  });

  it('names at most MAX_CONDITION_ATTRIBUTES attributes and says when it left some out', () => {
    const wide: Record<string, { S: string }> = { pk: { S: 'p' } };
    for (let i = 0; i <= MAX_CONDITION_ATTRIBUTES; i++) wide[`f${String(i).padStart(3, '0')}`] = { S: `v${i}` };
    const c = readCondition(wide, ['pk']);
    expect(Object.keys(c.ExpressionAttributeNames)).toHaveLength(MAX_CONDITION_ATTRIBUTES);
    expect(Object.values(c.ExpressionAttributeNames)).not.toContain('pk');
    expect(c.exact).toBe(false);
  });
});

describe('ownWriteCondition', () => {
  it('compares the header the run wrote', () => {
    const head = { B: new Uint8Array([1, 2, 3]) };
    expect(ownWriteCondition({ pk: { S: 'p' }, aws_dbe_head: head })).toMatchObject({
      ConditionExpression: '#h=:h', ExpressionAttributeNames: { '#h': 'aws_dbe_head' }, ExpressionAttributeValues: { ':h': head }, exact: true,
    });
  });
});
