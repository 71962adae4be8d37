#!/usr/bin/env node
// The AWS emulator used by tests, examples and the demo: the moto server from PyPI,
// installed into a repo-local virtualenv and started on 127.0.0.1 on a free port.
//
//   node scripts/emulator.mjs setup    install (idempotent) the pinned moto into .venv, and the
//                                      pinned aws-encryption-cli into .venv-esdk-cli
//   node scripts/emulator.mjs start    start a server, print its endpoint, run until killed
//
// Library use (vitest global set-up, examples): ensureEmulatorInstalled(), startEmulator().
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const stateDir = join(root, '.emulator');
const requirements = join(root, 'scripts', 'emulator-requirements.txt');
const isWindows = process.platform === 'win32';
const venvPython = join(venv, isWindows ? 'Scripts/python.exe' : 'bin/python');
// The aws-encryption-cli pins aws-encryption-sdk ~=3.1, which conflicts with the 4.x peer in
// .venv, so it lives in a virtualenv of its own (issue 12, CLI interop tests).
const cliVenv = join(root, '.venv-esdk-cli');
const cliRequirements = join(root, 'scripts', 'esdk-cli-requirements.txt');
/** The `aws-encryption-cli` executable installed by {@link ensureEsdkCliInstalled}. */
export const esdkCliPath = join(cliVenv, isWindows ? 'Scripts/aws-encryption-cli.exe' : 'bin/aws-encryption-cli');

function log(message) {
  process.stderr.write(`[emulator] ${message}\n`);
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info[0])'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === '3') return candidate;
  }
  throw new Error(
    'Python 3 is required for the test emulator (moto) but was not found on PATH.\n' +
      'Install Python 3.9 or newer (https://www.python.org/downloads/ or your package manager), ' +
      'or point the PYTHON environment variable at it, then run the command again.',
  );
}

/** Installs `requirementsFile` into the virtualenv `dir` unless the same file was installed there. Idempotent. */
function installVenv(dir, requirementsFile, what) {
  const python = join(dir, isWindows ? 'Scripts/python.exe' : 'bin/python');
  const wanted = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
  const marker = join(dir, '.phiseal-requirements.sha256');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  const system = findPython();
  if (!existsSync(python)) {
    log(`creating virtualenv in ${dir}`);
    const made = spawnSync(system, ['-m', 'venv', dir], { stdio: 'inherit' });
    if (made.status !== 0) {
      throw new Error(
        `Could not create a virtualenv with "${system} -m venv". On Debian/Ubuntu install python3-venv.`,
      );
    }
  }
  log(`installing ${what} (scripts/${basename(requirementsFile)}); this takes about 30 s once`);
  const pip = spawnSync(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirementsFile],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) throw new Error(`pip could not install scripts/${basename(requirementsFile)} (see the output above).`);
  writeFileSync(marker, wanted);
}

/** Installs the pinned emulator into .venv unless it is already there. Idempotent. */
export function ensureEmulatorInstalled() {
  installVenv(venv, requirements, 'the pinned emulator');
}

/** Installs the pinned aws-encryption-cli into .venv-esdk-cli unless it is already there. Idempotent. */
export function ensureEsdkCliInstalled() {
  installVenv(cliVenv, cliRequirements, 'the pinned aws-encryption-cli');
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Emulator logs kept: the newest few, for looking into a recent failure (issue 11). */
export const KEPT_LOGS = 5;

/**
 * Deletes all but the newest `keep` logs `moto.<owner>.<port>.log` in `dir` whose owner
 * process is gone; logs of running owners are never touched.
 */
export function pruneLogs(dir, keep = KEPT_LOGS) {
  if (!existsSync(dir)) return;
  const logs = [];
  for (const name of readdirSync(dir)) {
    const match = /^moto\.(\d+)\.\d+\.log$/.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const file = join(dir, name);
    logs.push({ file, mtime: statSync(file).mtimeMs });
  }
  logs.sort((a, b) => b.mtime - a.mtime);
  for (const { file } of logs.slice(keep)) rmSync(file, { force: true });
}

/** Kills emulators whose owning process is gone (a run killed before its teardown). */
function reapStale() {
  if (!existsSync(stateDir)) return;
  for (const name of readdirSync(stateDir)) {
    const match = /^moto\.(\d+)\.pid$/.exec(name);
    if (!match) continue;
    const owner = Number(match[1]);
    if (isAlive(owner) && owner !== process.pid) continue;
    const file = join(stateDir, name);
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid > 0 && isAlive(pid)) {
      log(`stopping a stale emulator (pid ${pid}) left by a run that did not finish`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(file, { force: true });
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilUp(endpoint, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts a moto server on 127.0.0.1 on a free port and waits until it answers.
 * @returns {Promise<{ endpoint: string, port: number, logFile: string, stop: () => Promise<void> }>}
 */
export async function startEmulator(options = {}) {
  ensureEmulatorInstalled();
  mkdirSync(stateDir, { recursive: true });
  reapStale();
  pruneLogs(stateDir);
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const logFile = options.logFile ?? join(stateDir, `moto.${process.pid}.${port}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(venvPython, [join(root, 'scripts', 'moto_runner.py'), String(port), String(process.pid)], {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    closeSync(fd);
    const pidFile = join(stateDir, `moto.${process.pid}.pid`);
    writeFileSync(pidFile, String(child.pid));
    const endpoint = `http://127.0.0.1:${port}`;
    if (await waitUntilUp(endpoint, child, 60_000)) {
      const stop = async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => {
            const t = setTimeout(() => {
              child.kill('SIGKILL');
              r(undefined);
            }, 3000);
            child.once('exit', () => {
              clearTimeout(t);
              r(undefined);
            });
          });
        }
        rmSync(pidFile, { force: true });
      };
      return { endpoint, port, logFile, stop };
    }
    child.kill('SIGKILL');
    rmSync(pidFile, { force: true });
    log(`emulator did not come up on port ${port} (attempt ${attempt}/5); see ${logFile}`);
  }
  throw new Error(`The moto emulator did not start after 5 attempts; see the logs in ${stateDir}`);
}

/** Environment for AWS SDK clients that talk to the emulator (dummy credentials). */
export function emulatorEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    // The SDK warns on Node 20 that releases after January 2027 need Node 22; phiseal pins
    // SDK versions that support 20, so the warning is noise in tests and examples.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const command = process.argv[2] ?? 'setup';
  try {
    if (command === 'setup') {
      ensureEmulatorInstalled();
      ensureEsdkCliInstalled();
      log('ready');
    } else if (command === 'start') {
      const emu = await startEmulator();
      process.stdout.write(`${emu.endpoint}\n`);
      const shutdown = () => void emu.stop().then(() => process.exit(0));
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    } else {
      log(`unknown command "${command}"; use "setup" or "start"`);
      process.exit(2);
    }
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
