// Every target file in test/fuzz/targets/ (`<name>.target.ts`, exporting `targets`) is
// picked up here: adding a format to the fuzzer is adding one file (see README.md).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FuzzTarget } from './harness.js';

const folder = fileURLToPath(new URL('./targets/', import.meta.url));

/** All registered targets, sorted by name. */
export async function loadTargets(): Promise<FuzzTarget[]> {
  const all: FuzzTarget[] = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.target.ts')).sort()) {
    const module = (await import(pathToFileURL(`${folder}${file}`).href)) as { targets?: readonly FuzzTarget[] };
    if (!Array.isArray(module.targets)) throw new Error(`${file} must export \`targets: FuzzTarget[]\``);
    all.push(...(module.targets as readonly FuzzTarget[]));
  }
  const names = new Set<string>();
  for (const t of all) {
    if (names.has(t.name)) throw new Error(`two fuzz targets are named ${t.name}`);
    names.add(t.name);
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}
