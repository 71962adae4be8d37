import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deduplicationId } from './deduplication-id.js';

const { vectors } = JSON.parse(readFileSync(new URL('../../test/vectors/deduplication-id.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ keyHex: string; bodyHex: string; id: string }>;
};

describe('deduplication id known-answer vectors (computed independently in Python)', () => {
  it('has vectors', () => expect(vectors.length).toBe(3));
  for (const v of vectors) {
    it(`body ${v.bodyHex || '(empty)'}`, () => {
      expect(deduplicationId(Buffer.from(v.keyHex, 'hex'), Buffer.from(v.bodyHex, 'hex'))).toBe(v.id);
    });
  }

  it('depends on the key', () => {
    const body = Buffer.from('order 1');
    expect(deduplicationId(new Uint8Array(32).fill(1), body)).not.toBe(deduplicationId(new Uint8Array(32).fill(2), body));
  });
});
