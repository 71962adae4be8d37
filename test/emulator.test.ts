// The emulator harness itself: a run killed half-way (no teardown) leaves no server behind.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/emulator.mjs', import.meta.url));
const stateDir = fileURLToPath(new URL('../.emulator/', import.meta.url));

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
});
