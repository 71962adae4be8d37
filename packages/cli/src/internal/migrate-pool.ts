import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emptyReport, type BatchExecutor, type MigrationReport, type SegmentExecutor, type SegmentPage } from '@phiseal/migrate';
import type { MigrateSpec } from './migrate-spec.js';

// `kmsCalls`: the worker's KMS calls so far (its envelope's count; the worker lives for one run).
type Reply =
  | { type: 'ready' }
  | { type: 'kms'; kmsCalls: number }
  | { type: 'page'; id: number; page: SegmentPage; kmsCalls: number }
  | { type: 'done'; id: number; report?: MigrationReport; kmsCalls: number }
  | { type: 'error'; id: number; code: string; kmsCalls: number };

type Pending = {
  onPage?: (page: SegmentPage) => Promise<void>;
  resolve: (report: MigrationReport | undefined) => void;
  reject: (error: Error) => void;
  /** Page handling in order: the checkpoint must see a segment's pages one after another. */
  chain: Promise<void>;
};

type Worker = { child: ChildProcess; busy: boolean; pending: Map<number, Pending>; alive: boolean; ready: Promise<void>; kmsCalls: number };

/**
 * The run's KMS budget, held across the workers: once the workers' calls plus `ownKmsCalls()`
 * (the parent's) reach `maxKmsCalls`, every worker is told to stop and nothing more is sent.
 */
export type PoolBudget = { readonly maxKmsCalls: number; readonly ownKmsCalls: () => number };

/** A pool of worker processes running the migration's units; `executeSegment` and `executeBatch` plug into migrateTable and migrateBucket. */
export type MigratePool = {
  readonly executeSegment: SegmentExecutor;
  readonly executeBatch: BatchExecutor;
  /** Child process ids (the scale test kills one). */
  readonly pids: () => number[];
  /** KMS calls of all workers so far (a worker that died counts what it last reported). */
  readonly kmsCalls: () => number;
  close(): Promise<void>;
};

// Under tsx (tests, `pnpm phiseal` from source) this module is .ts and so is its sibling.
const WORKER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './migrate-worker.ts' : './migrate-worker.js', import.meta.url));

const ignore = (): void => undefined;

class WorkerLost extends Error {
  override readonly name = 'WorkerLost';
}

/** Forks one worker, sends it `spec`, and routes its replies to its pending tasks; `counted` hears every KMS count it reports. */
function forkWorker(spec: MigrateSpec, counted: (worker: Worker, calls: number) => void): Worker {
  // 'advanced' serialization carries Uint8Array keys (Binary key attributes) as they are.
  // From source (tests, the scale run) the worker is TypeScript: load it through tsx, which also maps @phiseal/* to sources by tsconfig paths.
  const execArgv = WORKER.endsWith('.ts') ? ['--import', 'tsx'] : process.execArgv;
  const child = fork(WORKER, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  let ready!: () => void;
  const worker: Worker = { child, busy: false, pending: new Map(), alive: true, ready: new Promise<void>((r) => (ready = r)), kmsCalls: 0 };
  child.on('message', (reply: Reply) => {
    if (reply.type === 'ready') return ready();
    // Counted before the page is handled: the budget stops the other workers at once.
    counted(worker, reply.kmsCalls);
    if (reply.type === 'kms') return;
    const task = worker.pending.get(reply.id);
    if (task === undefined) return;
    if (reply.type === 'page') {
      const onPage = task.onPage;
      if (onPage) task.chain = task.chain.then(() => onPage(reply.page));
      return;
    }
    worker.pending.delete(reply.id);
    void task.chain.then(() => (reply.type === 'done' ? task.resolve(reply.report) : task.reject(Object.assign(new Error(`a worker failed: ${reply.code}`), { code: reply.code }))));
  });
  // A send to a worker that is gone fails with EPIPE: its 'exit' below is what counts.
  child.on('error', () => undefined);
  child.on('exit', () => {
    worker.alive = false;
    ready();
    for (const task of worker.pending.values()) void task.chain.then(() => task.reject(new WorkerLost('a worker process exited')));
    worker.pending.clear();
  });
  child.send(spec, ignore);
  return worker;
}

/** Hands out free workers in the order asked; `acquire` answers undefined once no worker is alive. */
function workerQueue(workers: readonly Worker[]): { acquire(): Promise<Worker | undefined>; release(w: Worker): void } {
  const waiting: ((w: Worker) => void)[] = [];
  const acquire = (): Promise<Worker | undefined> => {
    const free = workers.find((w) => w.alive && !w.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    if (!workers.some((w) => w.alive)) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (w: Worker): void => {
    w.busy = false;
    const next = waiting.shift();
    if (next && w.alive) {
      w.busy = true;
      next(w);
    } else if (next) {
      void acquire().then((other) => (other ? next(other) : undefined));
    }
  };
  return { acquire, release };
}

/** Sends a task to a worker and waits for its answer (its pages go to `onPage`, in order). */
function runOn(worker: Worker, id: number, message: Record<string, unknown>, onPage?: (page: SegmentPage) => Promise<void>): Promise<MigrationReport | undefined> {
  return new Promise<MigrationReport | undefined>((resolve, reject) => {
    worker.pending.set(id, { resolve, reject, chain: Promise.resolve(), ...(onPage === undefined ? {} : { onPage }) });
    worker.child.send({ ...message, id }, ignore);
  });
}

/** Ends every worker that is alive: its channel is closed, and it exits when it sees that. */
function closeWorkers(workers: readonly Worker[]): Promise<void> {
  const closing = workers.map((w) =>
    w.alive
      ? new Promise<void>((resolve) => {
          w.child.once('exit', () => resolve());
          w.child.disconnect();
        })
      : Promise.resolve(),
  );
  return Promise.all(closing).then(() => undefined);
}

/** A task's outcome: `sent: false` when the run stopped before the task could start. */
type Dispatched = { sent: false } | { sent: true; report: MigrationReport | undefined };
type Dispatch = (message: Record<string, unknown>, taskSignal: AbortSignal | undefined, onPage?: (page: SegmentPage) => Promise<void>) => Promise<Dispatched>;

/** migrateTable's and migrateBucket's executors over `dispatch`; `stopReason` says why a batch did not finish. */
function poolExecutors(dispatch: Dispatch, stopReason: () => 'kms-budget' | 'interrupted'): Pick<MigratePool, 'executeSegment' | 'executeBatch'> {
  return {
    executeSegment: async (task) => {
      try {
        // Not sent (the run stopped): migrateTable keeps the segment where it was, and sees why from the budget or its signal.
        await dispatch({ type: 'segment', segment: task.segment, totalSegments: task.totalSegments, ...(task.startKey === undefined ? {} : { startKey: task.startKey }) }, task.signal, task.onPage);
      } catch (error) {
        if (error instanceof WorkerLost) return task.lost();
        throw error;
      }
    },
    executeBatch: async (batch) => {
      try {
        // The listing's instruction-file proofs travel with the keys: they spare the worker a lookup per object.
        const listed = batch.listedWithoutInstructionFile;
        const out = await dispatch({ type: 'batch', keys: batch.keys, ids: batch.ids, ...(listed === undefined ? {} : { listed }) }, batch.signal);
        const report = out.sent ? (out.report ?? emptyReport()) : emptyReport();
        // A batch not sent, or cut short by a stop, did not finish: it must not move the checkpoint.
        if (!out.sent || !report.complete) report.stopped ??= stopReason();
        return report;
      } catch (error) {
        if (!(error instanceof WorkerLost)) throw error;
        const lost = emptyReport();
        lost.stopped = 'worker-lost';
        return lost;
      }
    },
  };
}

/**
 * Forks `count` workers, each sent `spec` once; tasks go to a free worker, in the order asked.
 * A stop (`signal`, a task's signal, the budget) reaches every worker: each starts no further
 * record, and a task not yet sent is not sent.
 */
export function startPool(count: number, spec: MigrateSpec, signal: AbortSignal, budget?: PoolBudget): MigratePool {
  let nextId = 0;
  let stopping = false;
  let budgetSpent = false;
  const watched = new WeakSet<AbortSignal>();
  const kmsCalls = (): number => workers.reduce((sum, w) => sum + w.kmsCalls, 0);
  const stopAll = (): void => {
    stopping = true;
    for (const w of workers) if (w.alive) w.child.send({ type: 'stop' }, ignore);
  };
  const counted = (worker: Worker, calls: number): void => {
    worker.kmsCalls = Math.max(worker.kmsCalls, calls);
    if (budget !== undefined && !budgetSpent && kmsCalls() + budget.ownKmsCalls() >= budget.maxKmsCalls) {
      budgetSpent = true;
      stopAll();
    }
  };
  /** Stops every worker when `s` (a task's signal: the run stopped) fires; one listener per signal. */
  const watch = (s: AbortSignal | undefined): void => {
    if (s === undefined || watched.has(s)) return;
    watched.add(s);
    if (s.aborted) stopAll();
    else s.addEventListener('abort', stopAll, { once: true });
  };
  const workers: Worker[] = Array.from({ length: count }, () => forkWorker(spec, counted));
  watch(signal);
  const queue = workerQueue(workers);
  const dispatch: Dispatch = async (message, taskSignal, onPage) => {
    watch(taskSignal);
    if (stopping) return { sent: false };
    const worker = await queue.acquire();
    if (worker === undefined) throw new WorkerLost('no worker process is left');
    await worker.ready;
    try {
      if (!worker.alive) throw new WorkerLost('a worker process exited');
      if (stopping) return { sent: false };
      return { sent: true, report: await runOn(worker, nextId++, message, onPage) };
    } finally {
      queue.release(worker);
    }
  };
  return {
    ...poolExecutors(dispatch, () => (budgetSpent ? 'kms-budget' : 'interrupted')),
    pids: () => workers.flatMap((w) => (w.alive && w.child.pid !== undefined ? [w.child.pid] : [])),
    kmsCalls,
    close() {
      signal.removeEventListener('abort', stopAll);
      return closeWorkers(workers);
    },
  };
}
