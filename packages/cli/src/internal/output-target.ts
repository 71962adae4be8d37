import { lstat } from 'node:fs/promises';
import { cliFailure } from './cli-failure.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Refuses an output path phiseal must not write: anything that exists and is not a regular
 * file (a symlink, a device such as /dev/null, a FIFO, a socket, a directory), with or
 * without `--force` — the rename that commits the output would replace it, and a symlink
 * is never followed (issue #11, defect 10) — and an existing regular file without `force`.
 * Checked before the write starts and again just before the rename.
 * @throws CliFailure `OUTPUT_NOT_REGULAR` or `OUTPUT_EXISTS` (exit 6).
 */
export async function checkOutputTarget(target: string, force: boolean): Promise<void> {
  let info;
  try {
    info = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!info.isFile()) {
    throw cliFailure(
      EXIT_CODES.io,
      'OUTPUT_NOT_REGULAR',
      `${target} exists and is not a regular file (a symlink, device, FIFO or directory); phiseal never writes through or replaces one, even with --force`,
    );
  }
  if (!force) throw cliFailure(EXIT_CODES.io, 'OUTPUT_EXISTS', `${target} exists; use --force to replace it`);
}
