// The emulator harness itself: a run killed half-way (no teardown) leaves no server behind.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/emulator.mjs', import.meta.url));
const stateDir = fileURLToPath(new URL('../.emulator/', import.meta.url));
const runner = fileURLToPath(new URL('../scripts/moto_runner.py', import.meta.url));
const venvPython = fileURLToPath(new URL('../.venv/bin/python', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

// Running, as opposed to gone or a zombie nobody reaped (an orphan's new parent may be a
// container's pid 1 that never reaps).
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('emulator lifecycle', () => {
  it('stops the server when its owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, [script, 'start'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      owner.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      owner.once('exit', () => reject(new Error('emulator owner exited early')));
    });
    const port = Number(new URL(endpoint).port);
    expect(await listening(port)).toBe(true);
    const pidFile = `${stateDir}moto.${owner.pid}.pid`;
    expect(existsSync(pidFile)).toBe(true);
    const serverPid = Number(readFileSync(pidFile, 'utf8'));
    owner.kill('SIGKILL');
    // The server watches its parent and exits; nothing is left listening.
    expect(await until(async () => !(await listening(port)), 10_000)).toBe(true);
    expect(
      await until(() => {
        try {
          process.kill(serverPid, 0);
          return Promise.resolve(false);
        } catch {
          return Promise.resolve(true);
        }
      }, 10_000),
    ).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('stops the server when its owner died before Python started watching it', async () => {
    const port = await freePort();
    // The owner (sh) starts the runner in the background and exits at once; the runner only
    // begins after that, so by the time it could ask for its parent, the owner is gone.
    const owner = spawn('sh', ['-c', '( sleep 0.3; exec "$0" "$1" "$2" "$$" ) >/dev/null 2>&1 & echo $!', venvPython, runner, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const serverPid = await new Promise<number>((resolve) => owner.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    try {
      expect(serverPid).toBeGreaterThan(0);
      // Long enough for moto to import and listen (about 1-3 s) had the runner stayed.
      expect(await until(() => Promise.resolve(!alive(serverPid)), 8_000)).toBe(true);
      expect(await listening(port)).toBe(false);
    } finally {
      if (alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  });
});
