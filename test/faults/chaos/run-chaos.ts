// A seeded load run: thousands of mixed operations through the fault proxy with ~10% of AWS
// calls faulted, then a check of everything acknowledged. Used by the short run in the test
// suite (chaos.test.ts) and by `pnpm chaos --seed N --ops N`.
import { startFaultProxy } from '../../support/faults/fault-proxy.js';
import type { FaultRule } from '../../support/faults/rule.js';
import { seededRandom } from '../../support/faults/random.js';
import { watchdog } from '../../support/faults/watchdog.js';
import { createLedger, type ChaosReport } from './ledger.js';
import { chooseOperation } from './operations.js';
import { verifyWorld } from './verify.js';
import { createWorld } from './world.js';

/** Options of {@link runChaos}. */
export type ChaosOptions = {
  /** The emulator's endpoint. */
  endpoint: string;
  seed: number;
  ops: number;
  /** Operations in flight at once (default 4). */
  concurrency?: number;
  /** Share of AWS calls faulted (default 0.1). */
  faultRate?: number;
  log?: (line: string) => void;
};

/** The faults of a run, splitting `rate` among them (first match wins, each draws its own share). */
export function chaosRules(rate: number): FaultRule[] {
  const share = (weight: number): number => rate * weight;
  return [
    { service: 'sqs', operation: /Batch$/, fault: { kind: 'partial-batch', count: 1 }, probability: share(1) },
    { service: 'dynamodb', operation: 'BatchWriteItem', fault: { kind: 'unprocessed', count: 1 }, probability: share(1) },
    { fault: { kind: 'status', status: 500, code: 'InternalError' }, probability: share(0.2) },
    { fault: { kind: 'throttle' }, probability: share(0.2) },
    { fault: { kind: 'reset-before' }, probability: share(0.15) },
    { fault: { kind: 'reset-after' }, probability: share(0.2) },
    { fault: { kind: 'latency', ms: 40 }, probability: share(0.1) },
    { fault: { kind: 'truncate', bytes: 200, afterMs: 5 }, probability: share(0.15) },
  ];
}

/**
 * Runs `ops` seeded operations and returns the outcome counts. Sound when every
 * `report.defects` count is 0. The operation sequence is fixed by the seed; with
 * concurrency above 1 which request meets which fault also depends on timing.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const proxy = await startFaultProxy({ target: options.endpoint, seed: options.seed });
  const ledger = createLedger(options.log);
  const uncaught = (error: unknown): void => {
    ledger.report.defects.uncaught++;
    options.log?.(`uncaught: ${error instanceof Error ? error.name : typeof error}`);
  };
  process.on('uncaughtException', uncaught);
  process.on('unhandledRejection', uncaught);
  try {
    const world = await createWorld(options.endpoint, proxy.endpoint, () => {
      ledger.report.droppedDuplicates++;
    });
    for (const rule of chaosRules(options.faultRate ?? 0.1)) proxy.add(rule);
    const random = seededRandom(options.seed ^ 0x5eed);
    const plan = Array.from({ length: options.ops }, (_, n) => ({ n, pick: chooseOperation(random()), seed: Math.floor(random() * 2 ** 31) }));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.length) {
        const { n, pick, seed } = plan[next++]!;
        const [name, operation] = pick;
        const error = await watchdog(operation(world, ledger, seededRandom(seed), n), 30_000, name).then(
          () => undefined,
          (failure: unknown) => failure ?? new Error('rejected without a reason'),
        );
        ledger.settle(error);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    proxy.clear();
    await verifyWorld(world, ledger);
    // Give a late stream error time to surface before the books close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    ledger.report.faultsInjected = proxy.calls.filter((c) => c.fault !== undefined).length;
    ledger.report.requests = proxy.calls.length;
    return ledger.report;
  } finally {
    process.off('uncaughtException', uncaught);
    process.off('unhandledRejection', uncaught);
    await proxy.stop();
  }
}

/** True when a report has no defect. */
export const isSound = (report: ChaosReport): boolean => Object.values(report.defects).every((n) => n === 0);
