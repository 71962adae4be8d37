import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hostTag, processAlive, tempOwner } from './temp-files.js';

/** A temporary file found in a `.phiseal-tmp` folder. */
export type Leftover = { path: string; bytes: number; ageMs: number; stale: boolean };

// Files of another machine (a shared folder) are judged by age alone.
const FOREIGN_STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Lists the temporary files in `dir` (a `.phiseal-tmp` folder). A file is stale when its
 * owner is gone: a process of this machine that no longer runs, or, from another machine,
 * untouched for a day. Files phiseal did not name are never listed or touched.
 */
export async function findLeftovers(dir: string): Promise<Leftover[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const here = hostTag();
  const now = Date.now();
  const found: Leftover[] = [];
  for (const name of names) {
    const owner = tempOwner(name);
    if (!owner) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const ageMs = now - info.mtimeMs;
    const stale = owner.host === here ? owner.pid !== process.pid && !processAlive(owner.pid) : ageMs > FOREIGN_STALE_MS;
    found.push({ path, bytes: info.size, ageMs, stale });
  }
  return found;
}

/** Removes the stale temporary files of `dir`; returns what was removed. */
export async function sweepLeftovers(dir: string): Promise<Leftover[]> {
  const stale = (await findLeftovers(dir)).filter((f) => f.stale);
  for (const file of stale) await rm(file.path, { force: true });
  return stale;
}

/** Removes a temporary folder when nothing is left in it (another run may still be using it). */
export async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => undefined);
}
