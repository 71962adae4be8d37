// contextId is built by hand on the hot path, so it is held to the definition it replaced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhisealError } from '@phiseal/guard';
import { contextId, encodeContext } from './context.js';

// contextId is encodeContext read as latin1, built as a string (cache keys of unwrapped keys).
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    return PhisealError.is(error) ? error.code : 'crash';
  }
};

describe('contextId', () => {
  it('is encodeContext read as latin1, and refuses what encodeContext refuses', () => {
    const mixed = fc.dictionary(fc.oneof(fc.string({ minLength: 1 }), fc.string({ minLength: 1, unit: 'binary' })), fc.oneof(fc.string(), fc.string({ unit: 'binary' })), { maxKeys: 6 });
    fc.assert(
      fc.property(mixed, (c) => {
        const code = codeOf(() => encodeContext(c));
        expect(codeOf(() => contextId(c))).toBe(code);
        if (code === 'ok') expect(contextId(c)).toBe(encodeContext(c).toString('latin1'));
      }),
    );
    expect(codeOf(() => contextId({ a: 'x'.repeat(0x10000) }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => contextId({ a: '\uD800' }))).toBe('INVALID_ARGUMENT');
    expect(contextId({ b: 'é', a: '' })).toBe(encodeContext({ b: 'é', a: '' }).toString('latin1'));
  });

  // The sorted keys are remembered for the last key set (context-keys.ts): a run of contexts with
  // the same keys, in any order, with changing values, must each give their own serialization.
  it('stays encodeContext across runs of one key set, reorderings and bad keys', () => {
    const keys = fc.uniqueArray(fc.oneof(fc.string({ minLength: 1 }), fc.string({ minLength: 1, unit: 'binary' })), { minLength: 1, maxLength: 5 });
    const run = keys.chain((ks) => fc.array(fc.tuple(fc.array(fc.string(), { minLength: ks.length, maxLength: ks.length }), fc.boolean()), { minLength: 1, maxLength: 6 }).map((rows) => ({ ks, rows })));
    fc.assert(
      fc.property(run, ({ ks, rows }) => {
        for (const [values, reversed] of rows) {
          const order = reversed ? [...ks.keys()].reverse() : [...ks.keys()];
          const c: Record<string, string> = {};
          for (const i of order) Object.defineProperty(c, ks[i]!, { value: values[i], enumerable: true });
          const code = codeOf(() => encodeContext(c));
          expect(codeOf(() => contextId(c))).toBe(code);
          if (code === 'ok') expect(contextId(c)).toBe(encodeContext(c).toString('latin1'));
        }
      }),
    );
    const long = { ['k'.repeat(0x10000)]: 'v' };
    expect(codeOf(() => contextId(long))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => contextId(long))).toBe('INVALID_ARGUMENT');
  });
});
