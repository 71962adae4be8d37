import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemState } from './item-state.js';

// The classifier decides whether a stored item may be read as plaintext: any subset of the
// DB-ESDK format attributes except the empty one must never classify as plaintext, whatever
// else the item holds and in whichever item form (wire or DocumentClient) it comes.

const formatName = fc.oneof(
  fc.constantFrom('aws_dbe_head', 'aws_dbe_foot'),
  fc.string({ maxLength: 10 }).map((s) => `aws_dbe_b_${s}`),
  fc.string({ maxLength: 10 }).map((s) => `aws_dbe_${s}`),
);
const userName = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !n.startsWith('aws_dbe_'));
const value = fc.oneof(
  fc.string().map((S) => ({ S })),
  fc.uint8Array({ maxLength: 8 }).map((B) => ({ B })),
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 8 }),
);

describe('itemState', () => {
  it('is plaintext exactly when no format attribute is present; encrypted exactly when head and foot are', () => {
    fc.assert(
      fc.property(fc.dictionary(userName, value, { maxKeys: 8 }), fc.uniqueArray(formatName, { maxLength: 5 }), (user, format) => {
        const item: Record<string, unknown> = { ...user };
        for (const n of format) item[n] = { B: new Uint8Array(1) };
        const state = itemState(item);
        if (format.length === 0) expect(state).toBe('plaintext');
        else expect(state).not.toBe('plaintext');
        const complete = format.includes('aws_dbe_head') && format.includes('aws_dbe_foot');
        expect(state === 'encrypted').toBe(complete);
      }),
    );
  });

  it('removing any non-empty subset of an encrypted item’s format attributes never yields plaintext unless all are gone', () => {
    const encrypted = { pk: { S: 'p' }, name: { B: new Uint8Array(3) }, aws_dbe_head: { B: new Uint8Array(9) }, aws_dbe_foot: { B: new Uint8Array(9) }, aws_dbe_b_email: { S: '1f' } };
    const formats = ['aws_dbe_head', 'aws_dbe_foot', 'aws_dbe_b_email'];
    fc.assert(
      fc.property(fc.subarray(formats), (removed) => {
        const item: Record<string, unknown> = { ...encrypted };
        for (const n of removed) delete item[n];
        const state = itemState(item);
        if (removed.length === formats.length) expect(state).toBe('plaintext');
        else if (removed.includes('aws_dbe_head') || removed.includes('aws_dbe_foot')) expect(state).toBe('tampered');
        else expect(state).toBe('encrypted');
      }),
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(['plaintext', 'encrypted', 'tampered']).toContain(itemState(input as Record<string, unknown>));
      }),
    );
    expect(itemState(null as unknown as Record<string, unknown>)).toBe('tampered');
    expect(itemState([] as unknown as Record<string, unknown>)).toBe('tampered');
  });
});
