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

/**
 * A pass-through stage that counts bytes and redraws a one-line bar on `out` (a terminal)
 * at most every 100 ms, then ends the line. It adds no copies: chunks pass as they are.
 */
export function progressBar(out: Writable, label: string, total: number | undefined): Transform {
  let done = 0;
  let drawnAt = 0;
  const startedAt = Date.now();
  const draw = (): void => {
    drawnAt = Date.now();
    out.write(`\r${line(label, done, total, startedAt)}\u001b[K`);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      if (Date.now() - drawnAt >= REDRAW_MS) draw();
      callback(null, chunk);
    },
    flush(callback) {
      draw();
      out.write('\n');
      callback();
    },
  });
}

/** Whether to show a bar: a terminal on stderr, not `--quiet`, and a large or unknown-size input. */
export function wantsProgress(options: { terminal: boolean; quiet: boolean; total: number | undefined }): boolean {
  return options.terminal && !options.quiet && (options.total === undefined || options.total >= PROGRESS_MIN_BYTES);
}
