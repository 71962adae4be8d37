import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOutputTarget } from './output-target.js';
import { removeIfEmpty, sweepLeftovers, type Leftover } from './sweep-temp.js';
import { ensureTempDir, tempDirOf, tempName } from './temp-files.js';

/** A file written under a temporary name and renamed into place only by `commit`. */
export type AtomicFile = {
  readonly stream: WriteStream;
  /** Temporary files of earlier, killed runs that were removed when this one was opened. */
  readonly swept: readonly Leftover[];
  /** Renames the finished temporary file onto the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
};

/**
 * Opens `target` for an all-or-nothing write. The temporary file is created exclusively with
 * `mode` in `.phiseal-tmp/` next to the target (same file system, so the rename is atomic;
 * one known place, so a run killed with SIGKILL leaves its file where the next run and
 * `phiseal doctor` find and remove it). Decrypted plaintext is never readable by others,
 * not even half-written.
 * @throws Node `ENOENT`/`EACCES` when the directory cannot be written; CliFailure
 * `OUTPUT_EXISTS` (exit 6) when the target exists and `force` is false, `OUTPUT_NOT_REGULAR`
 * when it exists and is not a regular file, `TEMP_DIR_UNSAFE`.
 */
export async function openAtomicFile(target: string, options: { force: boolean; mode: number }): Promise<AtomicFile> {
  await checkOutputTarget(target, options.force);
  const dir = tempDirOf(target);
  await ensureTempDir(dir);
  const swept = await sweepLeftovers(dir);
  const { stream, temporary } = await createTemporary(dir, options.mode);
  return {
    stream,
    swept,
    commit: async () => {
      // Again at the last moment: the target may have been replaced meanwhile.
      await checkOutputTarget(target, options.force);
      await rename(temporary, target);
      await removeIfEmpty(dir);
    },
    abort: async () => {
      stream.destroy();
      await rm(temporary, { force: true });
      await removeIfEmpty(dir);
    },
  };
}

/**
 * Creates the temporary file exclusively. Another run that just finished may remove the empty
 * folder between our check and our open: then the folder is made again and the open retried.
 */
async function createTemporary(dir: string, mode: number): Promise<{ stream: WriteStream; temporary: string }> {
  for (let attempt = 1; ; attempt++) {
    const temporary = join(dir, tempName());
    const stream = createWriteStream(temporary, { flags: 'wx', mode });
    try {
      // Wait for the open: an abort racing a pending open would remove nothing, then the
      // open would create the file and leave it behind.
      await once(stream, 'open');
      return { stream, temporary };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
      await ensureTempDir(dir);
    }
  }
}
