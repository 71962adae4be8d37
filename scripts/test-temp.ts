// Issue 11, defect 11: tests left key files (`phiseal-key-*`, `dev.key`) and scratch folders
// in the system temp folder. Each test run gets a private temp folder (TMPDIR/TMP/TEMP,
// inherited by the test workers, the CLI under test and the Python peers); at the end of the
// run anything left in it fails the run, and the folder is removed either way. A run killed
// before its teardown is cleaned up by the next one.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'phiseal-test-run-';
// Compile caches of the tools the tests start (tsx for examples and the CLI); not test data.
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache|v8-compile-cache(-\d+)?)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the private temp folders of earlier runs whose process is gone. */
export function reapStaleRunFolders(base: string): void {
  for (const name of readdirSync(base)) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (match && !alive(Number(match[1]))) rmSync(join(base, name), { recursive: true, force: true });
  }
}

/**
 * Points the temp folder of this process (and every process it starts from now on) at a
 * private folder. Returns the check to run at the end: it removes the folder and throws
 * when a test left something in it.
 */
export function privateTempFolder(): () => void {
  const base = tmpdir();
  reapStaleRunFolders(base);
  const folder = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  const saved = { TMPDIR: process.env['TMPDIR'], TMP: process.env['TMP'], TEMP: process.env['TEMP'] };
  Object.assign(process.env, { TMPDIR: folder, TMP: folder, TEMP: folder });
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const left = readdirSync(folder).filter((name) => !TOOL_CACHES.test(name));
    rmSync(folder, { recursive: true, force: true });
    if (left.length > 0) {
      // Vitest reports a teardown error but keeps the exit code: set it, so the run is red.
      process.exitCode = 1;
      throw new Error(
        `Tests left ${left.length} item(s) in the temp folder (${left.slice(0, 10).join(', ')}): every test removes what it creates (issue 11).`,
      );
    }
  };
}
