// Issue 11, defect 11: test runs pile nothing up. Emulator logs are pruned to the newest few
// (never a running owner's); scratch folders made by tests are removed when their file ends.
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDir } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with the examples; it has no type declarations.
import { KEPT_LOGS, pruneLogs } from '../scripts/emulator.mjs';

// Above Linux's largest pid_max (2^22), so no process can have it.
const GONE = 4_194_305;

describe('emulator logs', () => {
  it('keeps only the newest logs of finished runs, and every log of a running owner', () => {
    const dir = scratchDir('emulator-logs');
    for (let i = 0; i < 9; i++) {
      const file = join(dir, `moto.${GONE + i}.${40000 + i}.log`);
      writeFileSync(file, 'log');
      utimesSync(file, 1_700_000_000 + i, 1_700_000_000 + i);
    }
    writeFileSync(join(dir, `moto.${process.pid}.1234.log`), 'running');
    writeFileSync(join(dir, 'unrelated.txt'), 'kept');
    (pruneLogs as (d: string, k?: number) => void)(dir);
    const left = readdirSync(dir).sort();
    expect(left).toContain(`moto.${process.pid}.1234.log`);
    expect(left).toContain('unrelated.txt');
    const finished = left.filter((name) => name.startsWith('moto.') && !name.startsWith(`moto.${process.pid}.`));
    expect(finished).toHaveLength(KEPT_LOGS as number);
    // The newest ones (highest mtimes: the last indexes) are the ones kept.
    for (let i = 9 - (KEPT_LOGS as number); i < 9; i++) expect(finished).toContain(`moto.${GONE + i}.${40000 + i}.log`);
  });
});

describe('temp folder', () => {
  it('tests run in a private temp folder, which the global set-up checks and removes', () => {
    expect(tmpdir()).toMatch(/phiseal-test-run-\d+-/);
    const dir = scratchDir('hygiene');
    expect(existsSync(dir)).toBe(true);
  });
});
