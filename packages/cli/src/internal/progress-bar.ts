import { Transform, type Writable } from 'node:stream';

/** Inputs below this size finish too fast for a bar to help. */
export const PROGRESS_MIN_BYTES = 1024 * 1024;
const REDRAW_MS = 100;
const WIDTH = 28;

const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MiB`;

function line(label: string, done: number, total: number | undefined, startedAt: number): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = `${mib(done / seconds)}/s`;
  if (total === undefined || total === 0) return `${label} ${mib(done)} ${rate}`;
  const ratio = Math.min(done / total, 1);
  const filled = Math.round(ratio * WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${mib(done)} / ${mib(total)} ${rate}`;
}

/** The bar stage, and `close` for its line once the whole run is over. */
export type ProgressBar = Transform & {
  /** Ends the bar's line after a run that succeeded; erases it after one that failed. */
  close(succeeded: boolean): void;
};

/**
 * A pass-through stage that counts bytes and redraws a one-line bar on `out` (a terminal)
 * at most every 100 ms. It adds no copies: chunks pass as they are. The line is closed by
 * the caller: the input can be read to the end (100%) and the run still fail afterwards
 * (a tag at the end of the ciphertext), and a failed run must leave a clean line for its
 * error message instead of a finished-looking bar.
 */
export function progressBar(out: Writable, label: string, total: number | undefined): ProgressBar {
  let done = 0;
  let drawnAt = 0;
  let drawn = false;
  const startedAt = Date.now();
  const draw = (): void => {
    drawnAt = Date.now();
    drawn = true;
    out.write(`\r${line(label, done, total, startedAt)}\u001b[K`);
  };
  const stage = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      if (Date.now() - drawnAt >= REDRAW_MS) draw();
      callback(null, chunk);
    },
    flush(callback) {
      draw();
      callback();
    },
  });
  return Object.assign(stage, {
    close(succeeded: boolean): void {
      if (!drawn) return;
      drawn = false;
      out.write(succeeded ? '\n' : '\r\u001b[K');
    },
  });
}

/** Whether to show a bar: a terminal on stderr, not `--quiet`, and a large or unknown-size input. */
export function wantsProgress(options: { terminal: boolean; quiet: boolean; total: number | undefined }): boolean {
  return options.terminal && !options.quiet && (options.total === undefined || options.total >= PROGRESS_MIN_BYTES);
}
