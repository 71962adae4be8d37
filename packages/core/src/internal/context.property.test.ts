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
});
