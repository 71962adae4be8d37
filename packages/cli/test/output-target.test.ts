// Issue #11 defect 10: an output that exists and is not a regular file (a symlink, a FIFO, a
// device reached through a symlink, a directory) is refused with or without --force, and is
// left exactly as it was: never followed, never replaced.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeyProvider } from '@phiseal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let keyFile: string;
let sealed: string;

beforeAll(async () => {
  dir = tempDir();
  keyFile = join(dir, 'dev.key');
  LocalKeyProvider.generateFile(keyFile);
  sealed = join(dir, 'in.phiseal');
  expect((await cli(['encrypt', '-o', sealed, '--key-file', keyFile], { stdin: 'secret plaintext' })).code).toBe(EXIT_CODES.ok);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const targets: Array<[string, () => string, (path: string) => void]> = [
  [
    'a symlink to a regular file',
    () => {
      const victim = join(dir, 'victim.txt');
      writeFileSync(victim, 'untouched');
      const link = join(dir, 'link-to-file');
      symlinkSync(victim, link);
      return link;
    },
    (link) => {
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('untouched');
    },
  ],
  [
    'a symlink to /dev/null (a device)',
    () => {
      const link = join(dir, 'null-link');
      symlinkSync('/dev/null', link);
      return link;
    },
    (link) => {
      expect(readlinkSync(link)).toBe('/dev/null');
      expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    },
  ],
  [
    'a dangling symlink',
    () => {
      const link = join(dir, 'dangling');
      symlinkSync(join(dir, 'nowhere'), link);
      return link;
    },
    (link) => {
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(() => lstatSync(join(dir, 'nowhere'))).toThrow();
    },
  ],
  [
    'a FIFO',
    () => {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    },
    (fifo) => expect(lstatSync(fifo).isFIFO()).toBe(true),
  ],
  [
    'a directory',
    () => {
      const sub = join(dir, 'a-directory');
      mkdirSync(sub);
      return sub;
    },
    (sub) => expect(lstatSync(sub).isDirectory()).toBe(true),
  ],
];

describe('an output that is not a regular file', () => {
  for (const [what, make, unchanged] of targets) {
    for (const command of ['encrypt', 'decrypt'] as const) {
      for (const force of [false, true]) {
        it(`${command} to ${what}${force ? ' with --force' : ''}: OUTPUT_NOT_REGULAR (exit 6), left as it was`, async () => {
          const target = make();
          const args = command === 'encrypt' ? ['encrypt', '-o', target] : ['decrypt', sealed, '-o', target];
          const result = await cli([...args, '--key-file', keyFile, ...(force ? ['--force'] : [])], { stdin: 'more plaintext' });
          expect(result.code).toBe(EXIT_CODES.io);
          expect(result.stderr).toMatch(/^phiseal: OUTPUT_NOT_REGULAR: /);
          unchanged(target);
          expect(() => lstatSync(join(dir, '.phiseal-tmp'))).toThrow();
          rmSync(target, { recursive: true, force: true });
        });
      }
    }
  }

  it('a regular file is still replaced with --force', async () => {
    const target = join(dir, 'regular.txt');
    writeFileSync(target, 'old');
    expect((await cli(['decrypt', sealed, '-o', target, '--key-file', keyFile, '--force'])).code).toBe(EXIT_CODES.ok);
    expect(readFileSync(target, 'utf8')).toBe('secret plaintext');
  });
});
