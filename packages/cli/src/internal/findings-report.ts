import type { Writable } from 'node:stream';
import { writeLine } from './io.js';
import type { ScanFinding } from './scan-target.js';

const MAX_CELL = 60;
const cell = (s: string): string => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s);

/** Findings as an aligned table, then one summary line. Values are already masked. */
export function writeFindingsTable(out: Writable, findings: readonly ScanFinding[], scanned: number): void {
  if (findings.length > 0) {
    const rows = [
      ['KIND', 'WHERE', 'RESOURCE', 'FIELD', 'AT', 'VALUE (masked)'],
      ...findings.map((f) => [f.kind, f.where, f.resource, f.field, `${f.start}-${f.end}`, f.masked].map(cell)),
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const row of rows) writeLine(out, row.map((v, c) => (c === row.length - 1 ? v : v.padEnd(widths[c]!))).join('  '));
    writeLine(out);
  }
  const noun = findings.length === 1 ? 'finding' : 'findings';
  writeLine(out, `${findings.length} ${noun} in ${scanned} value${scanned === 1 ? '' : 's'} scanned`);
}

/** Findings as one JSON document: `{ scanned, findings: [{ kind, where, resource, field, start, end, masked }] }`. */
export function writeFindingsJson(out: Writable, findings: readonly ScanFinding[], scanned: number): void {
  writeLine(out, JSON.stringify({ scanned, findings }, null, 2));
}
