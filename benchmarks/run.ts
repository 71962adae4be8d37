// Runs benchmarks: `tsx benchmarks/run.ts` runs every benchmarks/<name>.ts, and
// `tsx benchmarks/run.ts core s3` only those named. Each benchmark runs in its own Node
// process, so one benchmark's JIT state, heap and caches never colour another's numbers.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => basename(file, '.ts'))
  .sort();

const requested = process.argv.slice(2).map((arg) => basename(arg).replace(/\.ts$/, ''));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ') || 'none'}.`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : available;

// Under tsx, execArgv carries its loader flags; a plain `node` parent gets them added.
const loader = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];

const failed: string[] = [];
for (const name of selected) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n=== benchmark: ${name} ===\n`);
  const run = spawnSync(process.execPath, [...loader, file], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) {
    failed.push(name);
    console.error(`benchmark ${name} failed (${run.signal ?? `exit code ${String(run.status)}`})`);
  }
}
if (failed.length > 0) {
  console.error(`\n${failed.length} of ${selected.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}
