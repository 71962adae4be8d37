import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeyProvider } from '@phiseal/core';
import { createKmsKey } from '@phiseal/test-support';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let keyFile: string;
// 200 KiB at 4 KiB frames: 50 frames, so tampering can hit a frame in the middle.
const plaintext = randomBytes(200 * 1024);
const FRAMES = ['--frame-length', '4096'];

beforeAll(() => {
  dir = tempDir();
  keyFile = join(dir, 'dev.key');
  LocalKeyProvider.generateFile(keyFile);
});

async function encryptToFile(name: string, extra: string[] = []): Promise<string> {
  const input = join(dir, `${name}.bin`);
  const sealed = join(dir, `${name}.phiseal`);
  writeFileSync(input, plaintext);
  const result = await cli(['encrypt', input, '-o', sealed, '--key-file', keyFile, ...FRAMES, ...extra]);
  expect(result.code).toBe(EXIT_CODES.ok);
  return sealed;
}

/** Outputs named after `prefix`, and any temporary file (they all live in `.phiseal-tmp/`). */
const leftovers = (prefix: string): string[] => [
  ...readdirSync(dir).filter((f) => f.includes(prefix) && f.includes('.out')),
  ...(existsSync(join(dir, '.phiseal-tmp')) ? readdirSync(join(dir, '.phiseal-tmp')) : []),
];

describe('phiseal encrypt / decrypt', () => {
  it('round-trips a multi-frame file through files, with a context', async () => {
    const sealed = await encryptToFile('files', ['--context', 'tenant=clinic-a', '-c', 'purpose=backup']);
    expect(readFileSync(sealed).length).toBeGreaterThan(plaintext.length + 50 * 16);
    expect(readFileSync(sealed).includes(plaintext.subarray(0, 64))).toBe(false);
    const out = join(dir, 'files.out');
    const result = await cli(['decrypt', sealed, '-o', out, '--key-file', keyFile, '--context', 'tenant=clinic-a']);
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(readFileSync(out).equals(plaintext)).toBe(true);
  });

  it('round-trips through stdin and stdout, with the key file from PHISEAL_KEY_FILE', async () => {
    const env = { PHISEAL_KEY_FILE: keyFile };
    const sealed = await cli(['encrypt', ...FRAMES], { stdin: plaintext, env });
    expect(sealed.code).toBe(EXIT_CODES.ok);
    const opened = await cli(['decrypt', '-'], { stdin: sealed.stdout, env });
    expect(opened.code).toBe(EXIT_CODES.ok);
    expect(opened.stdout.equals(plaintext)).toBe(true);
  });

  it('round-trips with a KMS key on the emulator', async () => {
    const keyId = await createKmsKey('phiseal cli test');
    const sealed = await cli(['encrypt', '--kms-key-id', keyId, '-c', 'tenant=clinic-a'], { stdin: plaintext });
    expect(sealed.code).toBe(EXIT_CODES.ok);
    const opened = await cli(['decrypt', '--kms-key-id', keyId], { stdin: sealed.stdout });
    expect(opened.code).toBe(EXIT_CODES.ok);
    expect(opened.stdout.equals(plaintext)).toBe(true);
  });

  it('fails a tampered frame with the integrity exit code and leaves no output file', async () => {
    const sealed = await encryptToFile('tampered');
    const bytes = readFileSync(sealed);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(sealed, bytes);
    const result = await cli(['decrypt', sealed, '-o', join(dir, 'tampered.out'), '--key-file', keyFile]);
    expect(result.code).toBe(EXIT_CODES.integrity);
    expect(result.stderr).toMatch(/^phiseal: (DECRYPTION_FAILED|MALFORMED_CIPHERTEXT): /);
    expect(leftovers('tampered')).toEqual([]);
  });

  it('fails a truncated ciphertext with the integrity exit code and leaves no output file', async () => {
    const sealed = await encryptToFile('truncated');
    writeFileSync(sealed, readFileSync(sealed).subarray(0, -100));
    const result = await cli(['decrypt', sealed, '-o', join(dir, 'truncated.out'), '--key-file', keyFile]);
    expect(result.code).toBe(EXIT_CODES.integrity);
    expect(leftovers('truncated')).toEqual([]);
  });

  it('fails a context the ciphertext was not sealed with, writing nothing', async () => {
    const sealed = await encryptToFile('context', ['--context', 'tenant=clinic-a']);
    const result = await cli(['decrypt', sealed, '-o', join(dir, 'context.out'), '--key-file', keyFile, '--context', 'tenant=clinic-b']);
    expect(result.code).toBe(EXIT_CODES.integrity);
    expect(result.stderr).toMatch(/^phiseal: CONTEXT_MISMATCH: /);
    expect(leftovers('context')).toEqual([]);
  });

  it('refuses PHI in the encryption context (exit 5) without printing it', async () => {
    const result = await cli(['encrypt', '--key-file', keyFile, '--context', 'patient=123-45-6789'], { stdin: 'x' });
    expect(result.code).toBe(EXIT_CODES.phi);
    expect(result.stderr).toMatch(/^phiseal: PHI_DETECTED: /);
    expect(result.stderr).not.toContain('123-45-6789');
    expect(result.stdout.length).toBe(0);
  });

  it('refuses a key from another key file (exit 4) and a key file others can read (exit 4)', async () => {
    const sealed = await encryptToFile('otherkey');
    const other = join(dir, 'other.key');
    LocalKeyProvider.generateFile(other);
    expect((await cli(['decrypt', sealed, '--key-file', other])).code).toBe(EXIT_CODES.key);
    const open = join(dir, 'open.key');
    LocalKeyProvider.generateFile(open);
    chmodSync(open, 0o644);
    const result = await cli(['encrypt', '--key-file', open], { stdin: 'x' });
    expect(result.code).toBe(EXIT_CODES.key);
    expect(result.stderr).toMatch(/^phiseal: KEY_FILE_INVALID: /);
  });

  it('keeps an existing output unless --force, and reports a missing input as I/O', async () => {
    const sealed = await encryptToFile('exists');
    const out = join(dir, 'exists.out');
    writeFileSync(out, 'keep me');
    expect((await cli(['decrypt', sealed, '-o', out, '--key-file', keyFile])).code).toBe(EXIT_CODES.io);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await cli(['decrypt', sealed, '-o', out, '--key-file', keyFile, '--force'])).code).toBe(EXIT_CODES.ok);
    expect(readFileSync(out).equals(plaintext)).toBe(true);
    expect((await cli(['encrypt', join(dir, 'missing.bin'), '--key-file', keyFile])).code).toBe(EXIT_CODES.io);
  });

  it('stops on an interrupt with exit 130 and removes the partial output', async () => {
    const sealed = await encryptToFile('interrupted');
    const interrupt = new AbortController();
    interrupt.abort();
    const result = await cli(['decrypt', sealed, '-o', join(dir, 'interrupted.out'), '--key-file', keyFile], { signal: interrupt.signal });
    expect(result.code).toBe(EXIT_CODES.interrupted);
    expect(leftovers('interrupted')).toEqual([]);
  });

  it('zeroizes the wrapping key read from --key-file when the command ends, on success and on failure', async () => {
    const destroy = vi.spyOn(LocalKeyProvider.prototype, 'destroy');
    try {
      const sealed = await encryptToFile('zeroize');
      expect(destroy).toHaveBeenCalledTimes(1);
      expect((await cli(['decrypt', sealed, '--key-file', keyFile, '--context', 'tenant=other'])).code).toBe(EXIT_CODES.integrity);
      expect(destroy).toHaveBeenCalledTimes(2);
    } finally {
      destroy.mockRestore();
    }
  });

  it('refuses to write ciphertext to a terminal', async () => {
    const result = await cli(['encrypt', '--key-file', keyFile], { stdin: 'x', stdoutIsTerminal: true });
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stdout.length).toBe(0);
  });

  it('is a usage error without a key, with two keys, or with a malformed context', async () => {
    expect((await cli(['encrypt'], { stdin: 'x' })).code).toBe(EXIT_CODES.usage);
    expect((await cli(['encrypt', '--key-file', keyFile, '--kms-key-id', 'alias/x'], { stdin: 'x' })).code).toBe(EXIT_CODES.usage);
    expect((await cli(['encrypt', '--key-file', keyFile, '--context', 'novalue'], { stdin: 'x' })).code).toBe(EXIT_CODES.usage);
    expect((await cli(['encrypt', '--key-file', keyFile, '--frame-length', '12'], { stdin: 'x' })).code).toBe(EXIT_CODES.usage);
  });

  it('draws a progress bar on a terminal for a large input, and stays quiet otherwise', async () => {
    const input = join(dir, 'large.bin');
    writeFileSync(input, randomBytes(2 * 1024 * 1024));
    const onTerminal = await cli(['encrypt', input, '-o', join(dir, 'large1.phiseal'), '--key-file', keyFile], { stderrIsTerminal: true });
    expect(onTerminal.code).toBe(EXIT_CODES.ok);
    expect(onTerminal.stderr).toContain('100%');
    const quiet = await cli(['encrypt', input, '-o', join(dir, 'large2.phiseal'), '--key-file', keyFile, '--quiet'], { stderrIsTerminal: true });
    expect(quiet.stderr).toBe('');
    const piped = await cli(['encrypt', input, '-o', join(dir, 'large3.phiseal'), '--key-file', keyFile]);
    expect(piped.stderr).toBe('');
  });
});

describe('the output file', () => {
  it('of decrypt is created owner-only', async () => {
    const sealed = await encryptToFile('mode');
    const out = join(dir, 'mode.out');
    expect((await cli(['decrypt', sealed, '-o', out, '--key-file', keyFile])).code).toBe(EXIT_CODES.ok);
    expect(statSync(out).mode & 0o077).toBe(0);
  });
});
