import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { recordsSeen, type MigrationProgress, type MigrationReport } from '@phiseal/migrate';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { writeLine } from './io.js';

const WIDTH = 24;

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
}

/** One progress line: bar (when the total is known), done/total, rate, ETA and the counts so far. */
export function progressLine(label: string, p: MigrationProgress, startedAt: number): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = `${Math.round(p.done / seconds)}/s`;
  const r = p.report;
  const counts = `migrated ${r.migrated} skipped ${r.skipped} conflicts ${r.conflictsRetried} refused ${r.refused} failed ${r.failed}`;
  if (p.total === undefined || p.total === 0) return `${label} ${p.done} ${rate} | ${counts}`;
  const ratio = Math.min(p.done / p.total, 1);
  const filled = Math.round(ratio * WIDTH);
  const eta = p.etaSeconds === undefined ? '' : ` ETA ${clock(p.etaSeconds)}`;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${p.done}/${p.total} ${rate}${eta} | ${counts}`;
}

/** A redrawn status line on a terminal; `clear()` leaves the terminal line empty. */
export function statusLine(out: Writable, enabled: boolean): { draw(text: string): void; clear(): void } {
  let drawn = false;
  return {
    draw(text) {
      if (!enabled) return;
      const columns = (out as { columns?: number }).columns ?? 120;
      out.write(`\r${text.slice(0, Math.max(20, columns - 1))}\u001b[K`);
      drawn = true;
    },
    clear() {
      if (drawn) out.write('\r\u001b[K');
      drawn = false;
    },
  };
}

/** The report for people: counts, then the first errors (ids and codes only); `verb` names what `migrated` counts. */
export function printReport(out: Writable, report: MigrationReport, verb: { done: string; would: string } = { done: 'migrated', would: 'migrate' }): void {
  const lines = [
    `${report.dryRun ? `dry run: would ${verb.would}` : verb.done} ${report.migrated}, skipped ${report.skipped}, refused ${report.refused}, failed ${report.failed}, conflicts retried ${report.conflictsRetried} (${recordsSeen(report)} records)`,
  ];
  if (report.kmsCalls !== undefined) lines.push(`KMS calls: ${report.kmsCalls}`);
  if (report.resumedFrom !== undefined) lines.push(`resumed from ${report.resumedFrom}`);
  if (report.plaintextVersions !== undefined) lines.push(`plaintext noncurrent versions: ${report.plaintextVersions}${report.plaintextVersionsDeleted === undefined ? ' (kept; --delete-plaintext-versions removes them)' : `, deleted ${report.plaintextVersionsDeleted}`}`);
  if (report.oldKeyVersions !== undefined) lines.push(`noncurrent versions under the old key: ${report.oldKeyVersions}${report.oldKeyVersionsDeleted === undefined ? ' (kept; --delete-replaced-versions removes them)' : `, deleted ${report.oldKeyVersionsDeleted}`}`);
  if (!report.complete) lines.push(`stopped before the end (${report.stopped ?? 'stopped'}): run the same command again to resume from the checkpoint`);
  for (const e of report.errors.slice(0, 20)) lines.push(`  ${e.code}\t${e.id}`);
  const more = report.errors.length - 20 + (report.errorsOmitted ?? 0);
  if (more > 0) lines.push(`  ... and ${more} more (--report-json has them all)`);
  for (const line of lines) writeLine(out, line);
}

/** `--report-json F`: the report as JSON (mode 0600). */
export async function writeReportJson(path: string | undefined, report: MigrationReport): Promise<void> {
  if (path !== undefined) await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The exit code of a finished run: 0 all records migrated or skipped; 1 finished with refused or
 * failed records; 75 stopped before the end (KMS budget, lost worker: resume); 130 interrupted.
 */
export function migrationExitCode(report: MigrationReport): ExitCode {
  if (!report.complete) return report.stopped === 'interrupted' ? EXIT_CODES.interrupted : EXIT_CODES.incomplete;
  return report.refused + report.failed > 0 ? EXIT_CODES.findings : EXIT_CODES.ok;
}
