// Issue #17 defect 3: what a killed encrypt/decrypt leaves on disk, and that it is removed.
// The real binary runs in a child process (through tsx, on the TypeScript sources) reading
// stdin that the test feeds half-way, so the kill lands mid-stream every time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalKeyProvider } from '@phiseal/core';
import { pattern } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { hostTag } from '../src/internal/temp-files.js';
import { cli, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages/cli/src/bin.ts');
const MiB = 1024 * 1024;
const plaintext = pattern(20 * MiB, 9);

let dir: string;
let keyFile: string;
let sealedFile: string;
beforeAll(async () => {
  dir = tempDir();
  keyFile = join(dir, 'dev.key');
  LocalKeyProvider.generateFile(keyFile);
  const input = join(dir, 'plain.bin');
  writeFileSync(input, plaintext);
  sealedFile = join(dir, 'sealed.phiseal');
  expect((await cli(['encrypt', input, '-o', sealedFile, '--key-file', keyFile])).code).toBe(EXIT_CODES.ok);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function phiseal(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', bin, ...args], { cwd: root, stdio: ['pipe', 'ignore', 'pipe'] });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

/** Temporary files under `out`'s `.phiseal-tmp/`, with their sizes. */
function temporaries(out: string): Array<{ name: string; bytes: number; mode: number }> {
  const tmp = join(out, '.phiseal-tmp');
  if (!existsSync(tmp)) return [];
  return readdirSync(tmp).map((name) => {
    const info = statSync(join(tmp, name));
    return { name, bytes: info.size, mode: info.mode & 0o777 };
  });
}

/** Starts `phiseal <command> -o <out>/result`, feeds half of `input`, waits until the temporary file holds data. */
async function startAndStall(command: 'encrypt' | 'decrypt', input: Buffer, out: string): Promise<ChildProcess> {
  mkdirSync(out, { recursive: true });
  const child = phiseal([command, '-o', join(out, 'result'), '--key-file', keyFile, '--quiet']);
  child.stdin!.on('error', () => undefined);
  child.stdin!.write(input.subarray(0, input.length >> 1));
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (temporaries(out).some((t) => t.bytes > 0)) return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error('the child never wrote its temporary file');
}

describe('kill -9 mid-stream', () => {
  it('decrypt: leaves only its 0600 temporary file in .phiseal-tmp/, and the next decrypt there removes it', async () => {
    const out = join(dir, 'decrypt-killed');
    const child = await startAndStall('decrypt', readFileSync(sealedFile), out);
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');
    // What remains: no output, one temporary file of verified plaintext (owner-only), named after the dead pid.
    expect(existsSync(join(out, 'result'))).toBe(false);
    const left = temporaries(out);
    expect(left).toHaveLength(1);
    expect(left[0]!.name).toMatch(new RegExp(`^${hostTag()}-${child.pid}-[0-9a-f]{12}\\.part$`));
    expect(left[0]!.mode).toBe(0o600);
    expect(readdirSync(out)).toEqual(['.phiseal-tmp']);
    // The next run writing to that directory sweeps it and says so.
    const next = await cli(['decrypt', sealedFile, '-o', join(out, 'again'), '--key-file', keyFile]);
    expect(next.code).toBe(EXIT_CODES.ok);
    expect(next.stderr).toContain('removed 1 temporary file(s) left by an interrupted run');
    expect(readFileSync(join(out, 'again')).equals(plaintext)).toBe(true);
    expect(readdirSync(out)).toEqual(['again']);
  });

  it('encrypt: leaves its temporary file; phiseal doctor lists it (--dry-run) and removes it', async () => {
    const out = join(dir, 'encrypt-killed');
    const child = await startAndStall('encrypt', plaintext, out);
    child.kill('SIGKILL');
    await exited(child);
    expect(temporaries(out)).toHaveLength(1);
    const dry = await cli(['doctor', out, '--dry-run']);
    expect(dry.code).toBe(EXIT_CODES.ok);
    expect(dry.stdout.toString()).toMatch(/stale \(dry run, kept\): .*\.part/);
    expect(temporaries(out)).toHaveLength(1);
    const real = await cli(['doctor', out]);
    expect(real.stdout.toString()).toContain('1 removed, 0 kept');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('signals the binary handles', () => {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) {
    it(`${signal} mid-stream: exit 130, nothing left`, async () => {
      const out = join(dir, `signal-${signal}`);
      const child = await startAndStall('decrypt', readFileSync(sealedFile), out);
      child.kill(signal);
      expect((await exited(child)).code).toBe(EXIT_CODES.interrupted);
      expect(readdirSync(out)).toEqual([]);
    });
  }
});

it('a temporary file whose process still runs is never swept', async () => {
  const out = join(dir, 'in-use');
  mkdirSync(join(out, '.phiseal-tmp'), { recursive: true, mode: 0o700 });
  // The parent of this test process is alive for the whole test.
  const live = join(out, '.phiseal-tmp', `${hostTag()}-${process.ppid}-aaaaaaaaaaaa.part`);
  writeFileSync(live, 'in progress', { mode: 0o600 });
  expect((await cli(['decrypt', sealedFile, '-o', join(out, 'x'), '--key-file', keyFile])).code).toBe(EXIT_CODES.ok);
  const report = await cli(['doctor', out]);
  expect(report.stdout.toString()).toContain('in use (kept)');
  expect(existsSync(live)).toBe(true);
});
