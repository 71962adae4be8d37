// The memo never returns a key built for another input: whatever the sequence of inputs
// (repeats, mutated objects, reordered pairs, changed bytes), the key equals a fresh build.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOfBytes, keyOfContext } from './cache-key-memo.js';
import { contextText } from './context-text.js';

const fresh = (c: Record<string, string>): string => `k${contextText(c)}`;

describe('cache key memo', () => {
  it('keyOfContext equals a fresh build over any sequence of contexts, and builds only on a change', () => {
    const contexts = fc.array(fc.dictionary(fc.constantFrom('a', 'b', '__proto__'), fc.constantFrom('1', '2')), { maxLength: 30 });
    fc.assert(
      fc.property(contexts, (sequence) => {
        const owner = {};
        for (const context of sequence) expect(keyOfContext(owner, context, fresh)).toBe(fresh(context));
      }),
    );
    const owner = {};
    let builds = 0;
    const counted = (c: Record<string, string>): string => (builds++, fresh(c));
    const context: Record<string, string> = { a: '1', b: '2' };
    keyOfContext(owner, context, counted);
    keyOfContext(owner, { a: '1', b: '2' }, counted);
    expect(builds).toBe(1);
    // The caller's object changed in place: a new key, not the remembered one.
    context['a'] = '3';
    expect(keyOfContext(owner, context, counted)).toBe(fresh({ a: '3', b: '2' }));
    expect(builds).toBe(2);
  });

  it('keyOfBytes keeps its own copy, so bytes changed in place (or another tag) build again', () => {
    const owner = {};
    const bytes = Buffer.from([1, 2, 3]);
    const build = (): string => `t${bytes.toString('hex')}`;
    expect(keyOfBytes(owner, 1, bytes, build)).toBe('t010203');
    bytes[0] = 9;
    expect(keyOfBytes(owner, 1, bytes, build)).toBe('t090203');
    expect(keyOfBytes(owner, 2, bytes, () => 'other')).toBe('other');
    expect(keyOfBytes({}, 2, bytes, () => 'another owner')).toBe('another owner');
  });
});
