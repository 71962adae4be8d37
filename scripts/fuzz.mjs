#!/usr/bin/env node
// pnpm fuzz [--count N] [--seed S] [--target NAME] [--budget SECONDS]
// The long seeded fuzz run of test/fuzz (see test/fuzz/README.md); prints a table.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { count: { type: 'string' }, seed: { type: 'string' }, target: { type: 'string' }, budget: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write('pnpm fuzz [--count N (default 5000)] [--seed S (default 1)] [--target NAME] [--budget SECONDS per target]\n');
  process.exit(0);
}
for (const name of ['count', 'seed', 'budget']) {
  if (values[name] !== undefined && !/^\d+$/.test(values[name])) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
}
const env = { ...process.env };
if (values.count) env.PHISEAL_FUZZ_COUNT = values.count;
if (values.seed) env.PHISEAL_FUZZ_SEED = values.seed;
if (values.target) env.PHISEAL_FUZZ_TARGET = values.target;
if (values.budget) env.PHISEAL_FUZZ_BUDGET = values.budget;
const run = spawnSync('npx', ['vitest', 'run', '--config', 'test/fuzz/vitest.fuzz.config.ts', '--reporter', 'dot'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
