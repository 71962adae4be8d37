import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from '../internal/command.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { writeLine } from '../internal/io.js';
import { parseOptions } from '../internal/parse-options.js';
import { findLeftovers, removeIfEmpty } from '../internal/sweep-temp.js';
import { TEMP_DIR_NAME } from '../internal/temp-files.js';

const help = `Usage: phiseal doctor [<dir>...] [--dry-run]

Finds temporary files that encrypt/decrypt runs killed mid-write left behind (nothing can
catch SIGKILL or a power loss) and removes those whose run is gone. A decrypt's temporary
file holds verified plaintext. They live in <dir>/${TEMP_DIR_NAME}/ (mode 0700), next to the
outputs; files of runs that still run are listed and kept. Also removes the
.<name>.<hex>.phiseal-tmp files earlier phiseal versions left, once untouched for an hour.
Every encrypt/decrypt to a file sweeps its own output directory the same way.

Options:
  --dry-run    list only, remove nothing
  -h, --help   show this help

Exit codes: 0 done, 2 usage, 6 a directory cannot be read.

Examples:
  phiseal doctor                 # the current directory
  phiseal doctor ~/exports /srv/restore --dry-run`;

// Earlier versions wrote `.<target>.<12 hex>.phiseal-tmp` next to the target, without an owner.
const LEGACY_NAME = /^\..+\.[0-9a-f]{12}\.phiseal-tmp$/;
const LEGACY_STALE_MS = 60 * 60 * 1000;

type Found = { path: string; bytes: number; stale: boolean };

async function legacyLeftovers(dir: string): Promise<Found[]> {
  const found: Found[] = [];
  for (const name of await readdir(dir)) {
    if (!LEGACY_NAME.test(name)) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile()) found.push({ path: join(dir, name), bytes: info.size, stale: Date.now() - info.mtimeMs > LEGACY_STALE_MS });
  }
  return found;
}

/** `phiseal doctor`: reports and removes what killed runs left on disk. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'find and remove temporary files left by killed encrypt/decrypt runs',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { 'dry-run': { type: 'boolean' } }, true);
    const dryRun = values['dry-run'] === true;
    let removed = 0;
    let kept = 0;
    for (const dir of positionals.length > 0 ? positionals : ['.']) {
      const tempDir = join(dir, TEMP_DIR_NAME);
      const found: Found[] = [...(await findLeftovers(tempDir)), ...(await legacyLeftovers(dir))];
      for (const file of found) {
        const action = !file.stale ? 'in use (kept)' : dryRun ? 'stale (dry run, kept)' : 'stale (removed)';
        if (file.stale && !dryRun) {
          await rm(file.path, { force: true });
          removed++;
        } else kept++;
        writeLine(io.stdout, `${action}: ${file.path} (${file.bytes} bytes)`);
      }
      if (!dryRun) await removeIfEmpty(tempDir);
    }
    writeLine(io.stdout, `${removed} removed, ${kept} kept`);
    return EXIT_CODES.ok;
  },
};
