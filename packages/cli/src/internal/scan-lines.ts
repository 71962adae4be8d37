import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Surface } from '@phiseal/guard';
import type { ScanTarget } from './scan-target.js';

/** Every non-empty line of a file (or stdin for `-`), read in constant memory. */
export async function* lineTargets(path: string, stdin: Readable, where: Surface): AsyncGenerator<ScanTarget> {
  const input = path === '-' ? stdin : createReadStream(path);
  const resource = path === '-' ? 'stdin' : `file:${path}`;
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n += 1;
    if (line.length > 0) yield { where, resource, field: `line ${n}`, value: line };
  }
}

/** The strings given as command-line arguments. */
export function argumentTargets(values: readonly string[], where: Surface): ScanTarget[] {
  return values.map((value, i) => ({ where, resource: 'argument', field: `#${i + 1}`, value }));
}
