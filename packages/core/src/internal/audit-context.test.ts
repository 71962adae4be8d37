import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditContext } from './audit-context.js';
import { contextDigest } from './context.js';

const context = fc.dictionary(fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', 'b', 'é') }), fc.string({ maxLength: 3, unit: fc.constantFrom('x', 'y', '"') }), { maxKeys: 3 });

describe('auditContext (the remembered context fields of audit events)', () => {
  it('always gives the digest and sorted keys of the context it is given, repeated or not', () => {
    fc.assert(
      fc.property(fc.array(context, { minLength: 1, maxLength: 6 }), (contexts) => {
        // Each context twice in a row (a memo hit), then the next one.
        for (const c of contexts.flatMap((c) => [c, { ...c }])) {
          expect(auditContext(c)).toEqual({ contextKeys: Object.keys(c).sort(), contextDigest: contextDigest(c) });
        }
      }),
    );
  });

  it('sees a changed value of the same object, and hands out a fresh keys array per event', () => {
    const c: Record<string, string> = { tenant: 'a', table: 't' };
    const first = auditContext(c);
    c['tenant'] = 'b';
    expect(auditContext(c).contextDigest).toBe(contextDigest(c));
    expect(auditContext(c).contextDigest).not.toBe(first.contextDigest);
    const keys = auditContext(c).contextKeys;
    keys.push('mutated by a sink');
    expect(auditContext(c).contextKeys).toEqual(['table', 'tenant']);
  });
});
