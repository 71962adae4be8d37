import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emptyReport, type BatchExecutor, type MigrationReport, type SegmentExecutor, type SegmentPage } from '@phiseal/migrate';
import type { MigrateSpec } from './migrate-spec.js';

type Reply =
  | { type: 'ready' }
  | { type: 'page'; id: number; page: SegmentPage }
  | { type: 'done'; id: number; report?: MigrationReport }
  | { type: 'error'; id: number; code: string };

type Pending = {
  onPage?: (page: SegmentPage) => Promise<void>;
  resolve: (report: MigrationReport | undefined) => void;
  reject: (error: Error) => void;
  /** Page handling in order: the checkpoint must see a segment's pages one after another. */
  chain: Promise<void>;
};

type Worker = { child: ChildProcess; busy: boolean; pending: Map<number, Pending>; alive: boolean; ready: Promise<void> };

/** A pool of worker processes running the migration's units; `executeSegment` and `executeBatch` plug into migrateTable and migrateBucket. */
export type MigratePool = {
  readonly executeSegment: SegmentExecutor;
  readonly executeBatch: BatchExecutor;
  /** Child process ids (the scale test kills one). */
  readonly pids: () => number[];
  close(): Promise<void>;
};

// Under tsx (tests, `pnpm phiseal` from source) this module is .ts and so is its sibling.
const WORKER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './migrate-worker.ts' : './migrate-worker.js', import.meta.url));

const ignore = (): void => undefined;

class WorkerLost extends Error {
  override readonly name = 'WorkerLost';
}

/** Forks `count` workers, each sent `spec` once; tasks go to a free worker, in the order asked. */
export function startPool(count: number, spec: MigrateSpec, signal: AbortSignal): MigratePool {
  let nextId = 0;
  const waiting: ((w: Worker) => void)[] = [];
  const workers: Worker[] = Array.from({ length: count }, () => {
    // 'advanced' serialization carries Uint8Array keys (Binary key attributes) as they are.
    // From source (tests, the scale run) the worker is TypeScript: load it through tsx, which also maps @phiseal/* to sources by tsconfig paths.
    const execArgv = WORKER.endsWith('.ts') ? ['--import', 'tsx'] : process.execArgv;
    const child = fork(WORKER, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
    let ready!: () => void;
    const worker: Worker = { child, busy: false, pending: new Map(), alive: true, ready: new Promise<void>((r) => (ready = r)) };
    child.on('message', (reply: Reply) => {
      if (reply.type === 'ready') return ready();
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
  });
  const onAbort = (): void => {
    for (const w of workers) if (w.alive) w.child.send({ type: 'stop' }, ignore);
  };
  signal.addEventListener('abort', onAbort);

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
  const dispatch = async (message: Record<string, unknown>, onPage?: (page: SegmentPage) => Promise<void>): Promise<MigrationReport | undefined> => {
    const worker = await acquire();
    if (worker === undefined) throw new WorkerLost('no worker process is left');
    await worker.ready;
    try {
      if (!worker.alive) throw new WorkerLost('a worker process exited');
      const id = nextId++;
      return await new Promise<MigrationReport | undefined>((resolve, reject) => {
        worker.pending.set(id, { resolve, reject, chain: Promise.resolve(), ...(onPage === undefined ? {} : { onPage }) });
        worker.child.send({ ...message, id }, ignore);
        if (signal.aborted) worker.child.send({ type: 'stop' }, ignore);
      });
    } finally {
      release(worker);
    }
  };

  return {
    executeSegment: async (task) => {
      try {
        await dispatch({ type: 'segment', segment: task.segment, totalSegments: task.totalSegments, ...(task.startKey === undefined ? {} : { startKey: task.startKey }) }, task.onPage);
      } catch (error) {
        if (error instanceof WorkerLost) return task.lost();
        throw error;
      }
    },
    executeBatch: async (batch) => {
      try {
        return (await dispatch({ type: 'batch', keys: batch.keys, ids: batch.ids })) ?? emptyReport();
      } catch (error) {
        if (!(error instanceof WorkerLost)) throw error;
        const lost = emptyReport();
        lost.stopped = 'worker-lost';
        return lost;
      }
    },
    pids: () => workers.flatMap((w) => (w.alive && w.child.pid !== undefined ? [w.child.pid] : [])),
    async close() {
      signal.removeEventListener('abort', onAbort);
      await Promise.all(
        workers.map((w) =>
          w.alive
            ? new Promise<void>((resolve) => {
                w.child.once('exit', () => resolve());
                w.child.disconnect();
              })
            : Promise.resolve(),
        ),
      );
    },
  };
}
