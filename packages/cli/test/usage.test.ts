import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeyProvider } from '@phiseal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { closest } from '../src/internal/did-you-mean.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let keyFile: string;
beforeAll(() => {
  dir = tempDir();
  keyFile = join(dir, 'dev.key');
  LocalKeyProvider.generateFile(keyFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('did you mean', () => {
  it('suggests the closest option for an unknown flag, and nothing for a far one', async () => {
    const typo = await cli(['encrypt', '--key-fil', keyFile], { stdin: 'x' });
    expect(typo.code).toBe(EXIT_CODES.usage);
    expect(typo.stderr).toContain('did you mean --key-file?');
    const far = await cli(['encrypt', '--zzzzzzzzzz'], { stdin: 'x' });
    expect(far.code).toBe(EXIT_CODES.usage);
    expect(far.stderr).not.toContain('did you mean');
  });

  it('suggests the closest command', async () => {
    const result = await cli(['encrpyt']);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain('did you mean encrypt?');
  });

  it('closest() stays within a third of the word', () => {
    expect(closest('--wher', ['--where', '--json'])).toBe('--where');
    expect(closest('s3.keys', ['s3.key', 'tag'])).toBe('s3.key');
    expect(closest('abcdef', ['uvwxyz'])).toBeUndefined();
  });
});

// Second outside review (docs/threat-model.md): usage errors quoted what was typed, so `phiseal <a patient's file
// name>` (a forgotten command) put it on stderr and into CI logs.
describe('usage errors name no value the user typed', () => {
  it.each([
    ['an unknown command', ['Jane Doe 123-45-6789.pdf']],
    ['an argument to a command that takes none', ['demo', 'Jane Doe 123-45-6789.pdf']],
    ['an unknown --where surface', ['scan', 'x', '--where', 'Jane Doe 123-45-6789']],
    ['an unknown option that is no option name', ['encrypt', '--jane-doe-123-45-6789']],
  ])('%s', async (_name, args) => {
    const result = await cli(args, { stdin: 'x' });
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toMatch(/^phiseal: USAGE: /);
    expect(result.stderr).not.toContain('6789');
  });
});

describe('scan --where', () => {
  it('rejects an unknown surface with a suggestion, accepts every known one', async () => {
    const bad = await cli(['scan', 'x', '--where', 's3.keys']);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain('did you mean s3.key?');
    for (const where of ['s3.key', 'tag', 'dynamodb.attributeName', 'encryptionContext', 'text']) {
      expect((await cli(['scan', 'invoice-2024', '--where', where])).code).toBe(EXIT_CODES.ok);
    }
  });
});

describe('the progress bar', () => {
  it('is erased when the run fails, so the error starts on a clean line', async () => {
    const input = join(dir, 'large.bin');
    writeFileSync(input, randomBytes(3 * 1024 * 1024));
    const sealed = join(dir, 'large.phiseal');
    expect((await cli(['encrypt', input, '-o', sealed, '--key-file', keyFile, '--quiet'])).code).toBe(EXIT_CODES.ok);
    const bytes = readFileSync(sealed);
    bytes[bytes.length - 100]! ^= 1;
    writeFileSync(sealed, bytes);
    const result = await cli(['decrypt', sealed, '-o', join(dir, 'out.bin'), '--key-file', keyFile], { stderrIsTerminal: true });
    expect(result.code).toBe(EXIT_CODES.integrity);
    expect(result.stderr).toContain('%'); // the bar was drawn
    // The bar's line is cleared (carriage return + erase line) right before the error.
    const erased = `\r\u001b[Kphiseal: `;
    expect(result.stderr).toContain(erased);
    expect(result.stderr.slice(result.stderr.indexOf(erased) + erased.length)).toMatch(/^(DECRYPTION_FAILED|MALFORMED_CIPHERTEXT): /);
    expect(result.stderr).not.toContain('\n\nphiseal');
  });
});
