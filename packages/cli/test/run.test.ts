import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli } from './helpers.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('phiseal', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await cli([flag]);
      expect(result.code).toBe(EXIT_CODES.ok);
      expect(result.stdout.toString().trim()).toBe(pkg.version);
    }
  });

  it('has --help for itself and for every command', async () => {
    const overview = await cli(['--help']);
    expect(overview.code).toBe(EXIT_CODES.ok);
    for (const command of ['keygen', 'encrypt', 'decrypt', 'scan', 'demo']) {
      expect(overview.stdout.toString()).toMatch(new RegExp(`^  ${command} `, 'm'));
      const help = await cli([command, '--help']);
      expect(help.code).toBe(EXIT_CODES.ok);
      expect(help.stdout.toString()).toMatch(new RegExp(`^Usage: phiseal ${command}`));
      expect(help.stdout.toString()).toMatch(/Exit codes:/);
    }
  });

  it('is a usage error without a command or with an unknown one', async () => {
    const none = await cli([]);
    expect(none.code).toBe(EXIT_CODES.usage);
    expect(none.stderr).toMatch(/^Usage: phiseal/);
    const unknown = await cli(['encrpyt']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toMatch(/^phiseal: USAGE: /);
  });
});
