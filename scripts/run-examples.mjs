#!/usr/bin/env node
// CI for the examples: build once, start one emulator, run every example in examples/ as a
// program (`tsx examples/<name>.ts`) against it, and exit non-zero if any fails.
//
//   pnpm examples                      every example
//   pnpm examples patient-records      only the ones named
//
// With PHISEAL_KMS_KEY_ID set (and AWS credentials), the examples run against real AWS
// instead and no emulator is started.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulatorEnv, startEmulator } from './emulator.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PER_EXAMPLE_TIMEOUT_MS = 120_000;
const wanted = process.argv.slice(2);
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (examples.length === 0) {
  process.stderr.write(`no examples match ${wanted.join(', ')}\n`);
  process.exit(2);
}

const started = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

process.stdout.write('::: build\n');
const build = spawnSync('pnpm', ['build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) {
  process.stderr.write('build failed\n');
  process.exit(1);
}

const realAws = Boolean(process.env.PHISEAL_KMS_KEY_ID);
const emulator = realAws ? undefined : await startEmulator();
const env = { ...process.env, ...(emulator ? emulatorEnv(emulator.endpoint) : {}) };
process.stdout.write(`::: examples on ${emulator ? `the emulator at ${emulator.endpoint}` : 'real AWS'}\n`);

function runExample(name) {
  return new Promise((resolveRun) => {
    const child = spawn(join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx'), [join('examples', `${name}.ts`)], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(timed out after ${PER_EXAMPLE_TIMEOUT_MS / 1000} s)\n`;
      child.kill('SIGKILL');
    }, PER_EXAMPLE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ ok: code === 0, output });
    });
  });
}

const results = [];
try {
  for (const name of examples) {
    const from = Date.now();
    const { ok, output } = await runExample(name);
    results.push({ name, ok });
    process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${name} (${seconds(from)})\n`);
    // Passing runs stay short in CI logs; a failure shows everything the example printed.
    process.stdout.write(ok ? indent(lastLines(output, 3)) : indent(output));
  }
} finally {
  await emulator?.stop();
}

function lastLines(text, n) {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
function indent(text) {
  return text.trim() ? `${text.trimEnd().replace(/^/gm, '    ')}\n` : '';
}

const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`\n${results.length - failed} passed, ${failed} failed (${seconds(started)})\n`);
process.exit(failed === 0 ? 0 : 1);
