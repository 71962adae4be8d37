import { addOutcome, emptyReport } from '../report.js';
import type { MigrationReport, RecordIdOptions } from '../types.js';
import type { Chunk, SourcePosition } from './object-source.js';
import { recordId } from './record-id.js';

/** A chunk as a batch to execute, and the report of its rows that name no key. */
export type ChunkBatch = { part: MigrationReport; keys: string[]; ids: string[]; listed: (string | undefined)[] };

/**
 * The keys of `chunk` with their report ids (`obj-<n>` from `first` on, one per row, see
 * recordId) and listing proofs; a row that names no key (a manifest's malformed or foreign
 * row) is counted `failed` in `part` with its value-free reason.
 */
export function chunkBatch(chunk: Chunk, first: number, options: RecordIdOptions): ChunkBatch {
  const batch: ChunkBatch = { part: emptyReport(), keys: [], ids: [], listed: [] };
  chunk.entries.forEach((entry, i) => {
    const id = `obj-${first + i}`;
    if ('invalid' in entry) addOutcome(batch.part, { outcome: 'failed', id, conflictsRetried: 0, code: entry.invalid, retryable: false });
    else {
      batch.keys.push(entry.key);
      batch.ids.push(recordId(id, entry.key, options));
      batch.listed.push(entry.listedEtag);
    }
  });
  return batch;
}

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
