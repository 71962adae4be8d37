import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { cliFailure } from './cli-failure.js';
import { EXIT_CODES } from './exit-codes.js';

/** A file written under a temporary name and renamed into place only by `commit`. */
export type AtomicFile = {
  readonly stream: WriteStream;
  /** Renames the finished temporary file onto the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
};

/**
 * Opens `target` for an all-or-nothing write. The temporary file sits next to the target
 * (same file system, so the rename is atomic) and is created exclusively with `mode`:
 * decrypted plaintext is never readable by others, not even half-written.
 * @throws Node `ENOENT`/`EACCES` when the directory cannot be written;
 * CliFailure `OUTPUT_EXISTS` (exit 6) when the target exists and `force` is false.
 */
export async function openAtomicFile(target: string, options: { force: boolean; mode: number }): Promise<AtomicFile> {
  if (!options.force && existsSync(target)) {
    throw cliFailure(EXIT_CODES.io, 'OUTPUT_EXISTS', `${target} exists; use --force to replace it`);
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.phiseal-tmp`);
  const stream = createWriteStream(temporary, { flags: 'wx', mode: options.mode });
  // Wait for the open: an abort racing a pending open would remove nothing, then the
  // open would create the file and leave it behind.
  await once(stream, 'open');
  return {
    stream,
    commit: () => rename(temporary, target),
    abort: async () => {
      stream.destroy();
      await rm(temporary, { force: true });
    },
  };
}
