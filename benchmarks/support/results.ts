// Where benchmark results go, and the machine facts every result file starts with: numbers
// without the CPU and Node version they came from cannot be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** benchmarks/results, next to this folder. */
export const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export type Environment = { date: string; node: string; cpu: string; cores: number; platform: string; memoryGiB: number };

export function environment(): Environment {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    platform: `${platform()} ${arch()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** A markdown bullet list of the environment, for the top of a result file. */
export function environmentMarkdown(env: Environment = environment()): string {
  return [
    `- Date: ${env.date}`,
    `- Node: ${env.node} (${env.platform})`,
    `- CPU: ${env.cpu}, ${env.cores} logical cores, ${env.memoryGiB} GiB RAM`,
  ].join('\n');
}

/** Writes `benchmarks/results/<name>.md` (replacing the previous run) and returns its path. */
export function writeResult(name: string, markdown: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.md`);
  writeFileSync(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return path;
}

/** PASS/FAIL cell for a target; never rounds a miss into a pass. */
export const verdict = (passed: boolean): string => (passed ? 'PASS' : 'FAIL');
