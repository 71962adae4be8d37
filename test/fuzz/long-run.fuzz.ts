// The long fuzz run behind `pnpm fuzz --count N --seed S [--target NAME] [--budget SECONDS]`
// (scripts/fuzz.mjs passes the options as PHISEAL_FUZZ_* variables). Prints the table and
// the first failures of each target; fails when anything was accepted wrongly, failed
// untyped or hung.
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable, runTarget, type FuzzStats } from './harness.js';
import { loadTargets } from './registry.js';

const env = process.env;
const seed = Number(env['PHISEAL_FUZZ_SEED'] ?? 1);
const count = Number(env['PHISEAL_FUZZ_COUNT'] ?? 5000);
const only = env['PHISEAL_FUZZ_TARGET'];
const budgetSeconds = env['PHISEAL_FUZZ_BUDGET'] === undefined ? undefined : Number(env['PHISEAL_FUZZ_BUDGET']);
const targets = (await loadTargets()).filter((t) => only === undefined || t.name === only);
const rows: FuzzStats[] = [];

afterAll(() => {
  process.stdout.write(`\nphiseal fuzz: seed ${seed}, ${count} random mutations per sample after every single-bit flip\n${formatTable(rows)}\n`);
  for (const row of rows) for (const failure of row.failures) process.stdout.write(`  ${row.target}: ${failure.kind} [${failure.sample}] ${failure.mutation}: ${failure.detail}\n`);
});

describe(`fuzz, seed ${seed}`, () => {
  it('has the target asked for', () => expect(targets.length).toBeGreaterThan(0));
  for (const target of targets) {
    it(target.name, async () => {
      const stats = await runTarget(target, { seed, count, ...(budgetSeconds === undefined ? {} : { timeBudgetMs: budgetSeconds * 1000 }) });
      rows.push(stats);
      expect({ acceptedWrong: stats.acceptedWrong, untyped: stats.untyped, hangs: stats.hangs }).toEqual({ acceptedWrong: 0, untyped: 0, hangs: 0 });
    });
  }
});
