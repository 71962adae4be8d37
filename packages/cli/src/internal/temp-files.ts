// Where unfinished outputs live. Nothing can catch SIGKILL, so a run killed mid-write leaves
// its temporary file (for decrypt: verified plaintext). Node cannot link an O_TMPFILE file
// into place (no linkat with AT_EMPTY_PATH), so instead every temporary file goes into ONE
// known place per output directory, `.phiseal-tmp/` (mode 0700), named after the process that
// owns it; the next run writing there, and `phiseal doctor`, remove the files of processes
// that are gone (issue #17, defect 3).
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { cliFailure } from './cli-failure.js';
import { EXIT_CODES } from './exit-codes.js';

/** The folder of unfinished outputs, next to the outputs (same file system: the rename is atomic). */
export const TEMP_DIR_NAME = '.phiseal-tmp';

// `<host tag>-<pid>-<random>.part`: the host tag keeps a shared (network) folder from having
// one machine judge another machine's process ids.
const TEMP_NAME = /^([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.part$/;

/** A short, stable, non-identifying tag of this machine. */
export function hostTag(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
}

/** The owner of a temporary file, from its name; undefined for names phiseal did not make. */
export function tempOwner(name: string): { host: string; pid: number } | undefined {
  const match = TEMP_NAME.exec(name);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

/** A fresh temporary file name owned by this process. */
export function tempName(): string {
  return `${hostTag()}-${process.pid}-${randomBytes(6).toString('hex')}.part`;
}

/** The temporary folder for outputs written to `target`'s directory. */
export function tempDirOf(target: string): string {
  return join(dirname(target), TEMP_DIR_NAME);
}

/**
 * Creates (mode 0700) or checks the temporary folder: it must be a real directory owned by
 * this user, never a symlink someone planted to redirect plaintext elsewhere.
 * @throws CliFailure `TEMP_DIR_UNSAFE` (exit 6).
 */
export async function ensureTempDir(dir: string): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) {
    throw cliFailure(EXIT_CODES.io, 'TEMP_DIR_UNSAFE', `${dir} is not a private directory of this user (mode 0700); remove it and retry`);
  }
}

/** Whether a process id is running on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
