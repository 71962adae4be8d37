import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { SegmentExecutor } from '../migrate-table.js';
import { emptyReport, mergeReport } from '../report.js';
import type { MigrationProgress, MigrationReport } from '../types.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { forEachLimited } from './pool.js';
import { progressReporter } from './progress.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import type { SegmentPage } from '../migrate-scan-segment.js';
import type { SegmentRunOptions } from '../table-run-options.js';

/** A whole-table run (migrateTable, rewrapTable): its segments, checkpoint, budget and progress. */
export type TableRun = {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly segments?: number;
  readonly store: CheckpointStore | undefined;
  readonly dryRun?: boolean;
  readonly maxRecordsPerSecond?: number;
  /** True once the run's KMS budget is spent (the run then stops, resumably). */
  readonly budgetExceeded: () => boolean;
  /** The run's KMS calls so far, in every process (`report.kmsCalls`), when counted. */
  readonly kmsCallsUsed?: () => number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  readonly executeSegment?: SegmentExecutor;
  /** The in-process runner of one segment (used when `executeSegment` is not given). */
  readonly runSegment: (task: Parameters<SegmentExecutor>[0], limiter: RateLimiter) => Promise<void>;
};

/** The segment options an in-process `runSegment` passes on from its task: which segment, from where, paced, stopped and reported how. */
export function segmentTask(task: Parameters<SegmentExecutor>[0], limiter: RateLimiter): Pick<SegmentRunOptions, 'segment' | 'totalSegments' | 'startKey' | 'limiter' | 'signal' | 'onPage'> {
  return {
    segment: task.segment, totalSegments: task.totalSegments, limiter, signal: task.signal, onPage: task.onPage,
    ...(task.startKey === undefined ? {} : { startKey: task.startKey }),
  };
}

type SegmentState = { done: boolean; startKey?: Record<string, unknown> };
type TableState = { totalSegments: number; segments: SegmentState[] };

function checkSegments(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new PhisealError('INVALID_ARGUMENT', 'segments must be an integer from 1 to 1000000.');
  return n;
}

async function approximateCount(client: DynamoDBClient, tableName: string): Promise<number | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.ItemCount;
  } catch {
    return undefined;
  }
}

async function loadState(store: CheckpointStore | undefined, segments: number): Promise<{ state: TableState; resumed: boolean }> {
  const saved = (await store?.load()) as TableState | undefined;
  if (saved !== undefined && Number.isInteger(saved.totalSegments) && Array.isArray(saved.segments) && saved.segments.length === saved.totalSegments) {
    return { state: saved, resumed: true };
  }
  return { state: { totalSegments: segments, segments: Array.from({ length: segments }, () => ({ done: false })) }, resumed: false };
}

/**
 * Runs every unfinished segment of a table in parallel, saving the checkpoint after each page;
 * stops (resumably) on the signal, a spent KMS budget or a lost worker; one segment's failed Scan
 * stops the others after their pages and is thrown once the checkpoint is saved.
 * @throws PhisealError INVALID_ARGUMENT (segments); the first segment's failure.
 */
export async function runTable(run: TableRun): Promise<MigrationReport> {
  const { store } = run;
  const { state, resumed } = await loadState(store, checkSegments(run.segments ?? 4));
  const report = emptyReport();
  if (resumed && store) report.resumedFrom = store.where;
  if (run.dryRun === true) report.dryRun = true;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  run.signal?.addEventListener('abort', onAbort);
  if (run.signal?.aborted === true) stop.abort();
  let total: number | undefined;
  const progress = progressReporter(run.onProgress, () => total);
  void approximateCount(run.client, run.tableName).then((n) => (total = n));
  const limiter = createRateLimiter(run.maxRecordsPerSecond);
  const execute: SegmentExecutor = run.executeSegment ?? ((task) => run.runSegment(task, limiter));
  const pending = state.segments.flatMap((s, i) => (s.done ? [] : [i]));
  let failure: Error | undefined;
  const onPage = (segment: number) => async (page: SegmentPage): Promise<void> => {
    mergeReport(report, page.report);
    // A page cut short (a worker told to stop mid-page) is not done and may have no key yet: the segment restarts there.
    state.segments[segment] = page.done ? { done: true } : page.lastEvaluatedKey === undefined ? { done: false } : { done: false, startKey: page.lastEvaluatedKey };
    if (run.budgetExceeded()) {
      report.stopped = 'kms-budget';
      stop.abort();
    }
    progress(report);
    await store?.save(state);
  };
  try {
    await forEachLimited(pending, pending.length, async (segment) => {
      const startKey = state.segments[segment]?.startKey;
      await execute({
        segment, totalSegments: state.totalSegments, signal: stop.signal, ...(startKey === undefined ? {} : { startKey }),
        lost: () => {
          report.stopped ??= 'worker-lost';
          stop.abort();
        },
        onPage: onPage(segment),
      }).catch((error: unknown) => {
        // One segment's failed Scan stops the others after their pages: the checkpoint keeps all of them.
        failure ??= error instanceof Error ? error : new PhisealError('AWS_REQUEST_FAILED', 'A segment failed.', { cause: error, retryable: true });
        stop.abort();
      });
    });
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
  await store?.save(state);
  report.complete = state.segments.every((s) => s.done);
  if (run.kmsCallsUsed !== undefined) report.kmsCalls = run.kmsCallsUsed();
  // Executors that stopped on the budget themselves (worker processes) may have sent no page after it.
  if (!report.complete && report.stopped === undefined && run.budgetExceeded()) report.stopped = 'kms-budget';
  if (!report.complete && report.stopped === undefined && run.signal?.aborted === true) report.stopped = 'interrupted';
  progress(report, true);
  if (failure !== undefined) throw failure;
  return report;
}
