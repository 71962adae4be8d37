import type { MigrationProgress, MigrationReport } from '../types.js';
import { recordsSeen } from '../report.js';

/** Reports progress at most every `everyMs`, with an ETA from the rate so far. */
export function progressReporter(onProgress: ((p: MigrationProgress) => void) | undefined, total: () => number | undefined, everyMs = 200): (report: MigrationReport, force?: boolean) => void {
  const started = Date.now();
  let last = 0;
  return (report, force = false) => {
    if (onProgress === undefined) return;
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    const done = recordsSeen(report);
    const all = total();
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const progress: MigrationProgress = all === undefined
      ? { done, report }
      : { done, total: Math.max(all, done), report, ...(rate > 0 ? { etaSeconds: Math.max(0, Math.round((all - done) / rate)) } : {}) };
    onProgress(progress);
  };
}

/** An AbortSignal that fires when any of `signals` does (or never). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}
