import { describe, expect, it } from 'vitest';
import { turnstile } from './part-turnstile.js';

const reason = (error: unknown): unknown => (error as { details?: Record<string, unknown> }).details?.['reason'];

describe('part turnstile', () => {
  it('lets parts through in part-number order whatever order they arrive in', async () => {
    const turn = turnstile(1000);
    const order: number[] = [];
    const part = async (n: number): Promise<void> => {
      await turn.wait(n);
      order.push(n);
      turn.advance(n);
    };
    await Promise.all([part(3), part(2), part(4), part(1)]);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('refuses a part number already taken, and fails the upload', async () => {
    const turn = turnstile(1000);
    await turn.wait(1);
    turn.advance(1);
    await expect(turn.wait(1)).rejects.toSatisfy((e) => reason(e) === 'part-resent');
    expect(turn.failed()).toBe(true);
    await expect(turn.wait(2)).rejects.toSatisfy((e) => reason(e) === 'upload-failed');
  });

  it('a part whose predecessor never comes fails after the timeout instead of hanging', async () => {
    const turn = turnstile(20);
    await expect(turn.wait(2)).rejects.toSatisfy((e) => reason(e) === 'part-order');
    expect(turn.failed()).toBe(true);
  });

  it('a failure rejects every waiting part', async () => {
    const turn = turnstile(1000);
    const waiting = [turn.wait(2), turn.wait(3)];
    turn.fail(new Error('aborted'));
    for (const w of waiting) await expect(w).rejects.toThrow('aborted');
  });
});
