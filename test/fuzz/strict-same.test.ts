// The strictSame oracle (used by the DynamoDB item target): an altered input that a reader
// returns as the original is accepted-wrong unless the target names it as by-design. A toy
// reader that ignores one member of its input is caught; naming that member as by-design
// moves the same inputs to the by-design column.
import { PhisealError } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { runTarget, type Doc, type FuzzTarget } from './harness.js';

function ignoring(byDesign: boolean): FuzzTarget {
  const stored = { kept: 'value', ignored: 'anything' };
  return {
    name: 'toy-ignoring-reader',
    description: 'returns `kept` and ignores `ignored`',
    strictSame: true,
    samples: () => Promise.resolve([{ label: 'toy', input: stored, expected: 'value' }]),
    open: (input: Doc) => {
      const kept = (input as Record<string, Doc>)['kept'];
      if (kept !== 'value') return Promise.reject(new PhisealError('DECRYPTION_FAILED', 'refused'));
      return Promise.resolve(kept);
    },
    ...(byDesign ? { byDesign: () => 'every member but kept is ignored' } : {}),
  };
}

describe('strictSame', () => {
  it('reports an altered input accepted as the original as accepted-wrong', async () => {
    const stats = await runTarget(ignoring(false), { seed: 3, count: 200 });
    expect(stats.acceptedWrong).toBeGreaterThan(0);
    expect(stats.failures.some((f) => f.kind === 'accepted-wrong')).toBe(true);
  });

  it('counts the ones the target names as by-design separately', async () => {
    const stats = await runTarget(ignoring(true), { seed: 3, count: 200 });
    expect(stats.byDesign).toBeGreaterThan(0);
    expect(stats.acceptedWrong).toBe(0);
    expect(stats.untyped).toBe(0);
  });
});
