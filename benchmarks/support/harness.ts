// A tiny timing harness shared by every benchmark. Operations run one after another with
// `await` (concurrency 1), so ops/s is the latency-bound rate of a single caller.
import { hrtime } from 'node:process';

/** One timed run of an operation. */
export type Timing = {
  /** Operations completed inside the budget. */
  ops: number;
  /** Wall time actually spent, in seconds. */
  seconds: number;
  /** ops / seconds; for {@link compare}, the median of the rounds' rates. */
  opsPerSec: number;
  /** ops/s of each round, for {@link compare}. */
  rounds?: number[];
};

export type MeasureOptions = {
  /** Time spent running the operation before measuring (JIT, caches, pools). Default 250 ms. */
  warmupMs?: number;
  /** Time budget of the measured run (per case for `compare`, split across its rounds). Default 1000 ms, or BENCH_BUDGET_MS. */
  budgetMs?: number;
};

/** BENCH_BUDGET_MS lets a quick smoke run (e.g. 100) use the same scripts. */
export const defaultBudgetMs = (): number => {
  const fromEnv = Number(process.env['BENCH_BUDGET_MS']);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 1000;
};

async function runFor(fn: () => unknown, budgetNs: bigint): Promise<Timing> {
  let ops = 0;
  const start = hrtime.bigint();
  let now = start;
  // Check the clock after every operation: hrtime costs tens of nanoseconds, well under
  // 1% of the microsecond-scale operations measured here, and keeps the budget exact.
  while (now - start < budgetNs) {
    await fn();
    ops++;
    now = hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  return { ops, seconds, opsPerSec: ops / seconds };
}

/**
 * Runs `fn` sequentially (awaiting each call, sync or async) for a warm-up, then for a
 * fixed time budget, and returns the measured rate.
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Timing> {
  const warmupMs = options.warmupMs ?? 250;
  const budgetMs = options.budgetMs ?? defaultBudgetMs();
  await runFor(fn, BigInt(Math.round(warmupMs * 1e6)));
  return runFor(fn, BigInt(Math.round(budgetMs * 1e6)));
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Measures several implementations of the same operation side by side: each is warmed up,
 * then they take turns in `rounds` short runs that share the time budget, and each gets the
 * median of its rounds. Interleaving and the median keep a noisy machine (other processes,
 * GC pauses, CPU frequency changes) from favouring whichever case happened to run first,
 * so the ratios between cases stay meaningful.
 */
export async function compare(
  cases: readonly { name: string; fn: () => unknown }[],
  options: MeasureOptions & { rounds?: number } = {},
): Promise<Map<string, Timing>> {
  const rounds = options.rounds ?? 5;
  const roundNs = BigInt(Math.round(((options.budgetMs ?? defaultBudgetMs()) / rounds) * 1e6));
  for (const { fn } of cases) await runFor(fn, BigInt(Math.round((options.warmupMs ?? 250) * 1e6)));
  const runs = new Map<string, Timing[]>(cases.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const { name, fn } of cases) runs.get(name)!.push(await runFor(fn, roundNs));
  }
  const out = new Map<string, Timing>();
  for (const [name, timings] of runs) {
    const rates = timings.map((t) => t.opsPerSec);
    const ops = timings.reduce((sum, t) => sum + t.ops, 0);
    const seconds = timings.reduce((sum, t) => sum + t.seconds, 0);
    out.set(name, { ops, seconds, opsPerSec: median(rates), rounds: rates });
  }
  return out;
}

/**
 * Runs `fn(i)` for i = 0..total-1 on `concurrency` workers that each take the next index
 * as soon as their previous call settles, and returns the wall time of the whole batch.
 */
export async function runConcurrently(
  total: number,
  concurrency: number,
  fn: (index: number) => Promise<unknown>,
): Promise<Timing> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await fn(next++);
  };
  const start = hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const seconds = Number(hrtime.bigint() - start) / 1e9;
  return { ops: total, seconds, opsPerSec: total / seconds };
}

/** Decimal megabytes per second for `bytesPerOp`-sized operations. */
export const megabytesPerSecond = (timing: Timing, bytesPerOp: number): number => (timing.opsPerSec * bytesPerOp) / 1e6;
