// A second moto process, and the CPU time an emulator process has used. For benchmarks that
// must keep one service's emulator work from loading another's: in AWS, KMS is a separate
// service whose requests never cost DynamoDB anything, while on one moto process every KMS
// call is also a request the DynamoDB emulator's single Python process has to serve.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from './emulator.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Linux reports utime/stime in clock ticks of USER_HZ, which is 100 on every Linux ABI.
const TICK_MICROS = 10_000;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Starts another moto server (the one `startBenchEmulator` installed) on a free loopback port,
 * owned by this process (moto_runner exits when it dies). `scripts/emulator.mjs` keeps one
 * server per owner, so this one is started here, not through it.
 */
export async function startSideEmulator(): Promise<Emulator & { pid: number }> {
  const port = await freePort();
  const python = join(root, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  const child = spawn(python, [join(root, 'scripts', 'moto_runner.py'), String(port), String(process.pid)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (up) {
      const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
      return { endpoint, clientConfig, stop, pid: child.pid ?? 0 };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the second moto server did not start on port ${port}`);
}

/** The pid of the server `startBenchEmulator` started for this process (scripts/emulator.mjs writes it), if known. */
export function mainEmulatorPid(): number | undefined {
  const file = join(root, '.emulator', `moto.${process.pid}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return pid > 0 ? pid : undefined;
}

/** CPU time (user + system, µs) a process has used so far; undefined where /proc is not there (not Linux). */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name: state is [0], utime [11], stime [12] (proc(5)).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return undefined;
  }
}
