import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

describe('phiseal keygen', () => {
  it('creates a 32-byte key file readable only by its owner', async () => {
    const file = join(tempDir(), 'dev.key');
    const result = await cli(['keygen', file, '--key-id', 'dev-laptop']);
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(LocalKeyProvider.fromFile(file).keyId).toBe('dev-laptop');
  });

  it('refuses to overwrite an existing file and leaves it as it was', async () => {
    const file = join(tempDir(), 'dev.key');
    writeFileSync(file, 'precious', { mode: 0o600 });
    const result = await cli(['keygen', file]);
    expect(result.code).toBe(EXIT_CODES.io);
    expect(result.stderr).toMatch(/^phiseal: OUTPUT_EXISTS: /);
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });

  it('is a usage error without exactly one file', async () => {
    expect((await cli(['keygen'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keygen', 'a', 'b'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keygen', '--bogus', 'a'])).code).toBe(EXIT_CODES.usage);
  });
});
