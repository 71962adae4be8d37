// Scratch folders for tests, removed when the test file ends (issue 11: tests left key files
// and scratch folders in the system temp folder). The run's global set-up also points the
// temp folder at a private one and fails the run if anything is left in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module, so it runs at the end of that file.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder `phiseal-<prefix>-*` in the temp folder, removed after the current test file. */
export function scratchDir(prefix = 'scratch'): string {
  const dir = mkdtempSync(join(tmpdir(), `phiseal-${prefix}-`));
  made.push(dir);
  return dir;
}
