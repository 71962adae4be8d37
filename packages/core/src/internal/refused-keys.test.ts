import { describe, expect, it } from 'vitest';
import { refusedKeys } from './refused-keys.js';

describe('refusedKeys (the negative cache of wrapped keys that failed to unwrap)', () => {
  it('remembers ids for the TTL only', () => {
    expect(refusedKeys().has('a')).toBe(false);
    let now = 0;
    const refused = refusedKeys(10, 1000, () => now);
    refused.add('a');
    expect(refused.has('a')).toBe(true);
    expect(refused.has('b')).toBe(false);
    now = 999;
    expect(refused.has('a')).toBe(true);
    now = 1000;
    expect(refused.has('a')).toBe(false);
  });

  it('holds at most its capacity, dropping the oldest first', () => {
    const refused = refusedKeys(3, 60_000);
    for (const id of ['a', 'b', 'c', 'd']) refused.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => refused.has(id))).toEqual([false, true, true, true]);
    refused.add('b'); // re-adding refreshes its place
    refused.add('e');
    expect(['b', 'c', 'd', 'e'].map((id) => refused.has(id))).toEqual([true, false, true, true]);
  });
});
