import { describe, expect, it } from 'vitest';
import { newMessageId } from './message-id.js';
import { MESSAGE_ID_BYTES } from './suites.js';

describe('newMessageId', () => {
  it('hands out distinct 32-byte ids across pool refills, each its own copy', () => {
    const ids = Array.from({ length: 300 }, () => newMessageId());
    expect(ids.every((id) => id.length === MESSAGE_ID_BYTES)).toBe(true);
    expect(new Set(ids.map((id) => id.toString('hex'))).size).toBe(ids.length);
    const first = Buffer.from(ids[0]!);
    ids[1]!.fill(0);
    expect(ids[0]!.equals(first)).toBe(true);
  });
});
