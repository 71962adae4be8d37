import type { MigrationReport } from '../types.js';
import type { Chunk, SourcePosition } from './object-source.js';

/**
 * Runs up to `parallel` chunks at a time and commits them in source order: `commit` sees a
 * chunk's report and position only once every earlier chunk is committed, so a checkpoint
 * never skips a chunk still in flight. Returns true when the source ran out (not stopped).
 */
export async function runChunks(
  source: AsyncGenerator<Chunk>,
  parallel: number,
  signal: AbortSignal,
  work: (chunk: Chunk) => Promise<MigrationReport>,
  commit: (report: MigrationReport, position: SourcePosition) => Promise<void>,
): Promise<boolean> {
  const window: Promise<{ report: MigrationReport; position: SourcePosition }>[] = [];
  let exhausted = false;
  const drainOne = async (): Promise<void> => {
    const head = window.shift();
    if (head === undefined) return;
    const { report, position } = await head;
    await commit(report, position);
  };
  try {
    while (!signal.aborted) {
      const next = await source.next();
      if (next.done === true) {
        exhausted = true;
        break;
      }
      const chunk = next.value;
      window.push(work(chunk).then((report) => ({ report, position: chunk.position })));
      if (window.length >= Math.max(1, parallel)) await drainOne();
    }
    while (window.length > 0) await drainOne();
  } finally {
    // Leave nothing running: settle what is in flight even when one failed.
    await Promise.allSettled(window);
    await source.return(undefined);
  }
  return exhausted;
}
