// The fuzzer must catch a real defect, not merely pass. Here a build of phiseal "forgets"
// one check: node:crypto's AES-GCM decipher never rejects a tag (final() swallows the
// authentication failure), the classic bug of a decrypt path that returns plaintext
// without verifying it. The same core targets that report 0 in fuzz.test.ts must report
// accepted-wrong inputs under it.
import type * as Crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { runTarget } from './harness.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  const createDecipheriv = ((...args: Parameters<typeof real.createDecipheriv>) => {
    const decipher = real.createDecipheriv(...args);
    const final = decipher.final.bind(decipher);
    // The planted defect: an authentication failure is ignored.
    decipher.final = ((...rest: Parameters<typeof final>) => {
      try {
        return final(...rest);
      } catch {
        return Buffer.alloc(0);
      }
    }) as typeof decipher.final;
    return decipher;
  }) as typeof real.createDecipheriv;
  return { ...real, default: { ...real, createDecipheriv }, createDecipheriv };
});

const { targets } = await import('./targets/core.target.js');

describe('the fuzzer catches a planted defect', () => {
  for (const name of ['core-message', 'core-stream']) {
    it(`${name}: a decrypt that skips the GCM tag check is reported as accepted-wrong`, async () => {
      const target = targets.find((t) => t.name === name)!;
      // Random mutations reach the frames quickly; the bit flips walk the header first.
      const stats = await runTarget(target, { seed: 1, count: 150, flips: name !== 'core-stream', timeBudgetMs: 5000 });
      expect(stats.acceptedWrong).toBeGreaterThan(0);
      expect(stats.failures.some((f) => f.kind === 'accepted-wrong')).toBe(true);
    }, 30_000);
  }
});
