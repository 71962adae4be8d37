// The short seeded fuzz run of the test command (issue 11): every registered target, every
// single-bit flip of every sample and a few hundred random mutations each; 0 accepted-wrong,
// 0 untyped errors, 0 hangs. `pnpm fuzz --count N --seed S` runs a long one.
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable, runTarget, type FuzzStats } from './harness.js';
import { loadTargets } from './registry.js';

const SEED = Number(process.env['PHISEAL_FUZZ_SEED'] ?? 20261201);
const targets = await loadTargets();
// A few seconds per target keeps the whole short run near a minute on a loaded 2-core machine.
const BUDGET_MS = Number(process.env['PHISEAL_FUZZ_BUDGET_MS'] ?? 4000);

const rows: FuzzStats[] = [];
// The numbers, for the record (the CI log shows them).
afterAll(() => console.log(`fuzz seed ${SEED}\n${formatTable(rows)}`));

describe('fuzz (short seeded run)', () => {
  it('has a target for every format phiseal reads', () => {
    const names = targets.map((t) => t.name);
    for (const wanted of ['core-message', 'core-message-string', 'core-message-compact', 'core-message-compact-string', 'core-stream', 'dynamodb-item', 'sqs-message', 's3-object']) expect(names).toContain(wanted);
    expect(targets.filter((t) => t.parserOnly).length).toBeGreaterThanOrEqual(5);
  });

  for (const target of targets) {
    it(`${target.name}: no accepted-wrong, no untyped error, no hang`, async () => {
      const stats = await runTarget(target, { seed: SEED, count: target.ciCount ?? 300, timeBudgetMs: BUDGET_MS });
      rows.push(stats);
      if (stats.failures.length > 0) console.error(formatTable([stats]), stats.failures);
      expect(stats.inputs).toBeGreaterThan(100);
      expect({ acceptedWrong: stats.acceptedWrong, untyped: stats.untyped, hangs: stats.hangs }).toEqual({ acceptedWrong: 0, untyped: 0, hangs: 0 });
    }, 60_000);
  }
});
